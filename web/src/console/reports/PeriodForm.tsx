import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../shared/Field';
import { useConsoleNavigate } from '../links';
import type { ReportsSearch } from './search';

/** The period of the report: from/to dates (summary) or a month (monthly). */
export function PeriodForm({ search }: { search: ReportsSearch & { view: 'summary' | 'monthly'; month: string } }) {
  const { t } = useTranslation();
  const navigate = useConsoleNavigate();
  const [from, setFrom] = useState(search.from ?? '');
  const [to, setTo] = useState(search.to ?? '');
  const [month, setMonth] = useState(search.month);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    void navigate({
      to: '/reports',
      search: search.view === 'monthly' ? { view: 'monthly', month: month || undefined } : { view: 'summary', from: from || undefined, to: to || undefined },
    });
  };
  return (
    <form className="filters" onSubmit={apply} aria-label={t('reports.period')}>
      {search.view === 'monthly' ? (
        <TextField label={t('reports.month')} type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
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
