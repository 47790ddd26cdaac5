import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import type { Department } from '../../../api/types';
import { ActionForm } from './ActionForm';
import { api, headers, invalidateCase, ok } from './post';

/** Adds departments to the investigation: the ones the API says can still be added. */
export function AddDepartmentsForm({ id, departments }: { id: string; departments: Department[] }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Department[]>([]);
  const s = useSubmission(
    (body: { add: Department[] }, key: string) => ok(api.POST('/api/v1/complaints/{id}/departments', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => setChosen([]) },
  );
  const error = s.fieldErrors.add;
  const toggle = (d: Department, on: boolean) => setChosen((list) => (on ? [...list, d] : list.filter((x) => x !== d)));
  return (
    <ActionForm title={t('actions.addDepartments')} submitLabel={t('actions.addDepartmentsSubmit')} onSubmit={() => s.submit({ add: chosen })}
      pending={s.pending} problem={s.problem} placed={['add']}>
      <fieldset className="checks" aria-describedby={error ? `${id}-add-error` : undefined} aria-invalid={error ? true : undefined}>
        <legend>{t('actions.departmentsLegend')}</legend>
        {departments.map((d) => (
          <label key={d} className="check">
            <input type="checkbox" checked={chosen.includes(d)} onChange={(e) => toggle(d, e.target.checked)} />
            {t(`department.${d}`)}
          </label>
        ))}
        {error && <p className="field-error" id={`${id}-add-error`}>{error}</p>}
      </fieldset>
    </ActionForm>
  );
}
