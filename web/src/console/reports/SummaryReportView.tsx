import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading } from '../../shared/States';
import { Breakdown } from './Breakdown';
import { useReport, type Period } from './fetch';
import { ReportFigures } from './ReportFigures';

export function SummaryReportView({ period }: { period: Period }) {
  const { t } = useTranslation();
  const report = useReport(period);
  if (!report.data) return report.isError ? <LoadFailed error={report.error} /> : <Loading />;
  return (
    <>
      <ReportFigures report={report.data} />
      <Breakdown period={period} by="category" title={t('reports.byCategory')} />
      <Breakdown period={period} by="department" title={t('reports.byDepartment')} />
    </>
  );
}
