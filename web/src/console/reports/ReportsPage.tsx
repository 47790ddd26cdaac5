import { useTranslation } from 'react-i18next';
import { useTitle } from '../../shared/hooks';
import { ConsoleLink } from '../links';
import { MonthlyReportView } from './MonthlyReportView';
import { PeriodForm } from './PeriodForm';
import { thisMonth, type ReportsSearch } from './search';
import { SummaryReportView } from './SummaryReportView';

/** Reports: the summary for a period, or the monthly report; the view and period are in the URL. */
export function ReportsPage({ search }: { search: ReportsSearch }) {
  const { t } = useTranslation();
  const view = search.view ?? 'summary';
  useTitle(view === 'monthly' ? t('reports.monthly') : t('reports.summary'));
  const month = search.month ?? thisMonth();
  return (
    <section className="page wide">
      <div className="page-head">
        <div>
          <h1>{t('reports.title')}</h1>
          <p className="lead">{t('reports.lead')}</p>
        </div>
      </div>
      <nav className="views" aria-label={t('reports.views')}>
        <ConsoleLink to="/reports" search={{ view: 'summary', from: search.from, to: search.to }} className={`view-link${view === 'summary' ? ' view-current' : ''}`}
          aria-current={view === 'summary' ? 'page' : undefined}>
          {t('reports.summary')}
        </ConsoleLink>
        <ConsoleLink to="/reports" search={{ view: 'monthly', month }} className={`view-link${view === 'monthly' ? ' view-current' : ''}`}
          aria-current={view === 'monthly' ? 'page' : undefined}>
          {t('reports.monthly')}
        </ConsoleLink>
      </nav>
      <PeriodForm search={{ ...search, view, month }} />
      {view === 'monthly' ? (
        <MonthlyReportView month={month} />
      ) : (
        <SummaryReportView period={{ kind: 'range', ...(search.from ? { from: search.from } : {}), ...(search.to ? { to: search.to } : {}) }} />
      )}
    </section>
  );
}
