import { useTranslation } from 'react-i18next';
import { categories, departments, severities, statuses } from '../../api/types';
import { SelectField } from '../../shared/Field';
import { ConsoleLink, useConsoleNavigate } from '../links';
import type { QueueSearch } from './search';

type Tri = '' | 'true' | 'false';
const tri = (v: boolean | undefined): Tri => (v === undefined ? '' : v ? 'true' : 'false');
const fromTri = (v: Tri) => (v === '' ? undefined : v === 'true');

/** The queue's filters: each change writes the URL (and starts again at the first page). */
export function QueueFilters({ search, hideDepartment }: { search: QueueSearch; hideDepartment: boolean }) {
  const { t } = useTranslation();
  const navigate = useConsoleNavigate();
  const update = (patch: Partial<QueueSearch>) => void navigate({ to: '/queue', search: { ...search, ...patch, cursor: undefined } });
  const any = { value: '' as const, label: t('filters.any') };
  const yesNo = [any, { value: 'true' as const, label: t('filters.yes') }, { value: 'false' as const, label: t('filters.no') }];
  return (
    <form className="filters" role="search" aria-label={t('filters.title')} onSubmit={(e) => e.preventDefault()}>
      <SelectField label={t('filters.sort')} value={search.sort ?? 'nextDeadline'} onChange={(v) => update({ sort: v === 'newest' ? 'newest' : undefined })}
        options={[{ value: 'nextDeadline', label: t('filters.sortDeadline') }, { value: 'newest', label: t('filters.sortNewest') }]} />
      <SelectField label={t('filters.status')} value={search.status ?? ''} onChange={(v) => update({ status: v || undefined })}
        options={[any, ...statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))]} />
      <SelectField label={t('filters.category')} value={search.category ?? ''} onChange={(v) => update({ category: v || undefined })}
        options={[any, ...categories.map((c) => ({ value: c, label: t(`category.${c}`) }))]} />
      <SelectField label={t('filters.severity')} value={search.severity ?? ''} onChange={(v) => update({ severity: v || undefined })}
        options={[any, ...severities.map((s) => ({ value: s, label: t(`severity.${s}`) }))]} />
      {!hideDepartment && (
        <SelectField label={t('filters.department')} value={search.department ?? ''} onChange={(v) => update({ department: v || undefined })}
          options={[any, ...departments.map((d) => ({ value: d, label: t(`department.${d}`) }))]} />
      )}
      <SelectField label={t('filters.breached')} value={tri(search.breached)} onChange={(v) => update({ breached: fromTri(v) })} options={yesNo} />
      <SelectField label={t('filters.escalated')} value={tri(search.escalated)} onChange={(v) => update({ escalated: fromTri(v) })} options={yesNo} />
      <SelectField label={t('filters.awaitingFindings')} value={tri(search.awaitingFindings)} onChange={(v) => update({ awaitingFindings: fromTri(v) })} options={yesNo} />
      <div className="field field-check">
        <label>
          <input type="checkbox" checked={search.atRisk === true} onChange={(e) => update({ atRisk: e.target.checked ? true : undefined })} />
          {t('filters.atRisk')}
        </label>
      </div>
      <ConsoleLink to="/queue" search={{}} className="button button-quiet filters-clear">
        {t('filters.clear')}
      </ConsoleLink>
    </form>
  );
}
