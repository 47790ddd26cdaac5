import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading } from '../../shared/States';
import { ColumnChart, BarChart } from './BarChart';
import { Breakdown } from './Breakdown';
import { useReport } from './fetch';
import { ReportFigures } from './ReportFigures';

interface DailyVolume { day: number; byCategory: Record<string, number> }
interface ResolveBucket { label: string; cases: number }

/** The monthly report: the figures of the month, cases per day, time to resolve, and the CSV and printable page. */
export function MonthlyReportView({ month }: { month: string }) {
  const { t } = useTranslation();
  const period = { kind: 'month' as const, month };
  const report = useReport(period);
  if (!report.data) return report.isError ? <LoadFailed error={report.error} /> : <Loading />;
  const r = report.data;
  // Not in the document's schema yet (passthrough fields of the monthly report): read defensively.
  const daily = (Array.isArray(r.dailyVolume) ? r.dailyVolume : []) as DailyVolume[];
  const buckets = (Array.isArray(r.resolveTimeBuckets) ? r.resolveTimeBuckets : []) as ResolveBucket[];
  const days = daily.map((d) => {
    const total = Object.values(d.byCategory).reduce((a, b) => a + b, 0);
    return { label: String(d.day), value: total, text: t('reports.casesOnDay', { day: d.day, n: total }) };
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
