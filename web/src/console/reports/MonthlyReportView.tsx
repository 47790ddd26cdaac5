import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading } from '../../shared/States';
import { ColumnChart, BarChart } from './BarChart';
import { Breakdown } from './Breakdown';
import { useReport } from './fetch';
import { ReportFigures } from './ReportFigures';

/** The monthly report: the figures of the month, cases per day, time to resolve, and the CSV and printable page. */
export function MonthlyReportView({ month }: { month: string }) {
  const { t } = useTranslation();
  const period = { kind: 'month' as const, month };
  const report = useReport(period);
  if (!report.data) return report.isError ? <LoadFailed error={report.error} /> : <Loading />;
  const r = report.data;
  const buckets = r.resolveTimeBuckets ?? [];
  // Every day of the month, as the printable page draws it (the answer lists the days with cases).
  const casesOn = new Map((r.dailyVolume ?? []).map((d) => [d.day, Object.values(d.byCategory).reduce((a, b) => a + b, 0)]));
  const daysInMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  const days = casesOn.size === 0 ? [] : Array.from({ length: daysInMonth }, (_, i) => {
    const n = casesOn.get(i + 1) ?? 0;
    return { label: String(i + 1), value: n, text: t('reports.casesOnDay', { day: i + 1, n }) };
  });
  const query = new URLSearchParams({ month });
  return (
    <>
      <p className="downloads">
        <a className="button button-secondary" href={`/api/v1/reports/monthly?${query}&format=csv`}>{t('reports.csv')}</a>
        <a className="button button-secondary" href={`/api/v1/reports/monthly?${query}&format=html`} target="_blank" rel="noopener">{t('reports.printable')}</a>
      </p>
      <ReportFigures report={r} />
      <section className="panel" aria-labelledby="month-volume">
        <h2 id="month-volume">{t('reports.dailyVolume')}</h2>
        {days.length ? <ColumnChart title={t('reports.dailyVolumeChart', { month })} columns={days} /> : <p className="muted">{t('reports.noData')}</p>}
        <BarChart title={t('reports.resolveTimes')} bars={buckets.map((b) => ({ label: b.label, value: b.cases, text: t('reports.cases', { n: b.cases }) }))} />
      </section>
      <Breakdown period={period} by="category" title={t('reports.byCategory')} />
      <Breakdown period={period} by="department" title={t('reports.byDepartment')} />
    </>
  );
}
