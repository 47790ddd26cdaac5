import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import type { BodyOf } from '../../../api/types';
import { TextArea } from '../../../shared/Field';
import { ActionForm } from './ActionForm';
import { api, headers, invalidateCase, ok } from './post';

type Reopen = BodyOf<'/api/v1/complaints/{id}/reopen'>;

/** Reopens a closed case, with a reason (when the API lists reopen: within the policy's window). */
export function ReopenForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const s = useSubmission(
    (body: Reopen, key: string) => ok(api.POST('/api/v1/complaints/{id}/reopen', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => setReason('') },
  );
  return (
    <ActionForm title={t('actions.reopen')} submitLabel={t('actions.reopenSubmit')} onSubmit={() => s.submit({ reason })}
      pending={s.pending} problem={s.problem} placed={['reason']}>
      <TextArea label={t('actions.reason')} required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} error={s.fieldErrors.reason} />
    </ActionForm>
  );
}
