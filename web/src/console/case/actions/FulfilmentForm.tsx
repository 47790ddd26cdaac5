import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import { TextArea } from '../../../shared/Field';
import { ActionForm } from './ActionForm';
import { api, headers, invalidateCase, ok } from './post';

/** Confirms the remedy was carried out. */
export function FulfilmentForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const s = useSubmission(
    (body: { done: true; note?: string }, key: string) => ok(api.POST('/api/v1/complaints/{id}/fulfilment', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => setNote('') },
  );
  return (
    <ActionForm title={t('actions.fulfilment')} submitLabel={t('actions.fulfilmentSubmit')} onSubmit={() => s.submit({ done: true, ...(note.trim() ? { note } : {}) })}
      pending={s.pending} problem={s.problem} placed={['note']}>
      <TextArea label={t('actions.note')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} error={s.fieldErrors.note} />
    </ActionForm>
  );
}
