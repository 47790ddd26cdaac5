import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from '../../shared/Field';
import { useConsoleNavigate } from '../links';
import { recentQuarters, type ReportsSearch } from './search';

type PeriodSearch = ReportsSearch & { view: 'summary' | 'monthly' | 'quarterly'; month: string; quarter: string };

/** The period of the report: from/to dates (summary), a month (monthly) or a quarter (quarterly). */
export function PeriodForm({ search }: { search: PeriodSearch }) {
  const { t } = useTranslation();
  const navigate = useConsoleNavigate();
  const [from, setFrom] = useState(search.from ?? '');
  const [to, setTo] = useState(search.to ?? '');
  const [month, setMonth] = useState(search.month);
  const [quarter, setQuarter] = useState(search.quarter);
  // A quarter opened by its URL stays choosable even when it is older than the recent ones.
  const quarters = [...new Set([...recentQuarters(), search.quarter])];
  const apply = (e: FormEvent) => {
    e.preventDefault();
    void navigate({
      to: '/reports',
      search: search.view === 'monthly' ? { view: 'monthly', month: month || undefined }
        : search.view === 'quarterly' ? { view: 'quarterly', quarter }
          : { view: 'summary', from: from || undefined, to: to || undefined },
    });
  };
  return (
    <form className="filters" onSubmit={apply} aria-label={t('reports.period')}>
      {search.view === 'monthly' ? (
        <TextField label={t('reports.month')} type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      ) : search.view === 'quarterly' ? (
        <SelectField label={t('reports.quarter')} value={quarter} onChange={(v) => setQuarter(v || search.quarter)}
          options={quarters.map((q) => ({ value: q, label: t('reports.quarterName', { year: q.slice(0, 4), n: q.slice(6) }) }))} />
      ) : (
        <>
          <TextField label={t('reports.from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField label={t('reports.to')} type="date" value={to} onChange={(e) => setTo(e.target.value)} hint={t('reports.toHint')} />
        </>
      )}
      <div className="field field-button">
        <button type="submit" className="button">{t('reports.show')}</button>
      </div>
    </form>
  );
}
