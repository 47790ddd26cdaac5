import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import { TextArea } from '../../../shared/Field';
import { ActionForm } from './ActionForm';
import { api, headers, invalidateCase, ok } from './post';

export function AcknowledgeForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const s = useSubmission(
    (body: { note?: string }, key: string) => ok(api.POST('/api/v1/complaints/{id}/acknowledge', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => setNote('') },
  );
  return (
    <ActionForm title={t('actions.acknowledge')} submitLabel={t('actions.acknowledgeSubmit')} onSubmit={() => s.submit(note.trim() ? { note } : {})}
      pending={s.pending} problem={s.problem} placed={['note']}>
      <TextArea label={t('actions.note')} hint={t('actions.noteHint')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} error={s.fieldErrors.note} />
    </ActionForm>
  );
}
