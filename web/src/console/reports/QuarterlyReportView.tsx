import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../shared/format';
import { LoadFailed, Loading } from '../../shared/States';
import { useLanguage } from '../../shared/Time';
import { BarChart } from './BarChart';
import { useQuarterlyReport } from './fetch';
import { MonthsSideBySide } from './MonthsSideBySide';
import { ReportFigures } from './ReportFigures';

/** The quarterly report: its months side by side, the quarter's figures, time to resolve, and the CSV and printable page. */
export function QuarterlyReportView({ quarter }: { quarter: string }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const report = useQuarterlyReport(quarter);
  if (!report.data) return report.isError ? <LoadFailed error={report.error} /> : <Loading />;
  const r = report.data;
  const query = new URLSearchParams({ quarter });
  return (
    <>
      <p className="downloads">
        <a className="button button-secondary" href={`/api/v1/reports/quarterly?${query}&format=csv`}>{t('reports.csv')}</a>
        <a className="button button-secondary" href={`/api/v1/reports/quarterly?${query}&format=html`} target="_blank" rel="noopener">{t('reports.printable')}</a>
      </p>
      <MonthsSideBySide report={r} />
      <h2 className="section-title">{t('reports.quarterTotals', { quarter: t('reports.quarterName', { year: quarter.slice(0, 4), n: quarter.slice(6) }) })}</h2>
      <ReportFigures report={r} />
      <section className="panel" aria-labelledby="quarter-resolve-times">
        <h2 id="quarter-resolve-times">{t('reports.resolveTimes')}</h2>
        <BarChart title={t('reports.resolveTimesChart')}
          bars={r.resolveTimeBuckets.map((b) => ({ label: b.label, value: b.cases, text: t('reports.cases', { n: formatNumber(b.cases, lang) }) }))} />
      </section>
    </>
  );
}
