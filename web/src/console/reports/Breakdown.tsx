import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { categories, departments, reportStages, type SummaryReport } from '../../api/types';
import { formatPercent } from '../../shared/format';
import { useLanguage } from '../../shared/Time';
import { BarChart } from './BarChart';
import type { Period } from './fetch';
import { complianceBar } from './words';

/**
 * SLA compliance by category or by department: one report per value (the API's `category` /
 * `department` scope); the chart shows the overall handling limit (resolve), the table every stage.
 */
export function Breakdown({ period, by, title }: { period: Period; by: 'category' | 'department'; title: string }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const values = by === 'category' ? categories : departments;
  const results = useQueries({
    queries: values.map((value) => ({
      queryKey: ['report', period, { [by]: value }],
      staleTime: 60_000,
      queryFn: (): Promise<SummaryReport> =>
        period.kind === 'month'
          ? (ok(api.GET('/api/v1/reports/monthly', { params: { query: { month: period.month, [by]: value } } })) as Promise<SummaryReport>)
          : ok(api.GET('/api/v1/reports/summary', { params: { query: { ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}), [by]: value } } })),
    })),
  });
  const label = (v: string) => (by === 'category' ? t(`category.${v as 'other'}`) : t(`department.${v as 'legal'}`));
  const rows = values.map((v, i) => ({ value: v, report: results[i]?.data }));
  return (
    <section className="panel" aria-labelledby={`by-${by}`}>
      <h2 id={`by-${by}`}>{title}</h2>
      <BarChart title={t('reports.resolveCompliance')} max={1} bars={rows.map((r) => complianceBar(label(r.value), r.report?.stages.resolve, t, lang))} />
      <div className="table-wrap">
        <table className="table table-compact">
          <caption>{t('reports.complianceTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{by === 'category' ? t('queue.category') : t('actions.department')}</th>
              <th scope="col">{t('reports.totalCases')}</th>
              {reportStages.map((s) => <th scope="col" key={s}>{t(`stage.${s}`)}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.value}>
                <th scope="row">{label(r.value)}</th>
                <td>{r.report ? r.report.totals.cases : '…'}</td>
                {reportStages.map((s) => {
                  const st = r.report?.stages[s];
                  return (
                    <td key={s} className={st?.complianceRate == null ? 'muted' : undefined}>
                      {st ? `${formatPercent(st.complianceRate, lang)}${st.met + st.breached ? ` (${st.met}/${st.met + st.breached})` : ''}` : '…'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
