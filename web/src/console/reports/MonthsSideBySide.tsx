import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { reportStages, type QuarterlyReport, type SummaryReport } from '../../api/types';
import type { Language } from '../../i18n';
import { formatMoney, formatNumber, formatPercent } from '../../shared/format';
import { useLanguage } from '../../shared/Time';

/** "October 2026" / "2026年10月": a month of the report (YYYY-MM, a calendar month, no zone). */
const monthName = (month: string, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

/** The quarter's three months and the quarter itself in columns, a figure per row, as the API counted them. */
export function MonthsSideBySide({ report }: { report: QuarterlyReport }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const columns: Array<{ label: string; figures: SummaryReport }> = [
    ...report.months.map((m) => ({ label: monthName(m.month, lang), figures: m })),
    { label: t('reports.quarterName', { year: report.quarter.slice(0, 4), n: report.quarter.slice(6) }), figures: report },
  ];
  const rows: Array<{ label: string; value: (r: SummaryReport) => ReactNode }> = [
    { label: t('reports.totalCases'), value: (r) => formatNumber(r.totals.cases, lang) },
    ...reportStages.map((st) => ({
      label: t('reports.complianceOf', { stage: t(`stage.${st}`) }),
      value: (r: SummaryReport) => {
        const s = r.stages[st];
        return s.met + s.breached ? `${formatPercent(s.complianceRate, lang)} (${s.met}/${s.met + s.breached})` : '—';
      },
    })),
    { label: t('reports.satisfiedRate'), value: (r) => formatPercent(r.satisfaction.satisfiedRate, lang) },
    { label: t('reports.escalated'), value: (r) => formatNumber(r.escalations.escalated, lang) },
    { label: t('reports.reopenRate'), value: (r) => (r.reopens.closed ? `${formatPercent(r.reopens.rate, lang)} (${r.reopens.reopened}/${r.reopens.closed})` : '—') },
    { label: t('reports.remedyCost'), value: (r) => formatMoney(r.remedyCost.total, 'CNY', lang) },
  ];
  return (
    <section className="panel" aria-labelledby="months-side-by-side">
      <h2 id="months-side-by-side">{t('reports.monthsSideBySide')}</h2>
      <div className="table-wrap">
        <table className="table table-compact table-figures">
          <caption className="sr-only">{t('reports.monthsSideBySideCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.figure')}</th>
              {columns.map((c, i) => <th scope="col" key={c.label} className={i === columns.length - 1 ? 'column-total' : undefined}>{c.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {columns.map((c, i) => <td key={c.label} className={i === columns.length - 1 ? 'column-total' : undefined}>{row.value(c.figures)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
