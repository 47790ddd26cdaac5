import { useTranslation } from 'react-i18next';
import { useTitle } from '../../shared/hooks';
import { ConsoleLink } from '../links';
import { MonthlyReportView } from './MonthlyReportView';
import { PeriodForm } from './PeriodForm';
import { QuarterlyReportView } from './QuarterlyReportView';
import { thisMonth, thisQuarter, type ReportsSearch, type ReportsView } from './search';
import { SummaryReportView } from './SummaryReportView';
import { WhatIfView } from './what-if/WhatIfView';

const titles = { summary: 'reports.summary', monthly: 'reports.monthly', quarterly: 'reports.quarterly', 'what-if': 'reports.whatIf' } as const;

/** Reports: the summary for a period, the monthly or quarterly report, or a what-if; the view and period are in the URL. */
export function ReportsPage({ search }: { search: ReportsSearch }) {
  const { t } = useTranslation();
  const view = search.view ?? 'summary';
  useTitle(t(titles[view]));
  const month = search.month ?? thisMonth();
  const quarter = search.quarter ?? thisQuarter();
  const linkTo = (to: ReportsView, linkSearch: ReportsSearch) => (
    <ConsoleLink to="/reports" search={linkSearch} className={`view-link${view === to ? ' view-current' : ''}`} aria-current={view === to ? 'page' : undefined}>
      {t(titles[to])}
    </ConsoleLink>
  );
  return (
    <section className="page wide">
      <div className="page-head">
        <div>
          <h1>{t('reports.title')}</h1>
          <p className="lead">{t('reports.lead')}</p>
        </div>
      </div>
      <nav className="views" aria-label={t('reports.views')}>
        {linkTo('summary', { view: 'summary', from: search.from, to: search.to })}
        {linkTo('monthly', { view: 'monthly', month })}
        {linkTo('quarterly', { view: 'quarterly', quarter })}
        {linkTo('what-if', { view: 'what-if', from: search.from, to: search.to })}
      </nav>
      {view === 'what-if' ? (
        <WhatIfView search={search} />
      ) : (
        <>
          {/* Keyed by the view: its fields start from the URL of the view opened. */}
          <PeriodForm key={view} search={{ ...search, view, month, quarter }} />
          {view === 'monthly' ? (
            <MonthlyReportView month={month} />
          ) : view === 'quarterly' ? (
            <QuarterlyReportView quarter={quarter} />
          ) : (
            <SummaryReportView period={{ kind: 'range', ...(search.from ? { from: search.from } : {}), ...(search.to ? { to: search.to } : {}) }} />
          )}
        </>
      )}
    </section>
  );
}
