import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import { SelectField, TextArea } from '../../../shared/Field';
import { ActionForm } from './ActionForm';
import { api, headers, invalidateCase, ok } from './post';

/** Escalates by hand, with a reason (supervisors: when the API lists escalate). */
export function EscalateForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [to, setTo] = useState<'' | '2' | '3'>('');
  const s = useSubmission(
    (body: { reason: string; level?: number }, key: string) => ok(api.POST('/api/v1/complaints/{id}/escalate', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => { setReason(''); setTo(''); } },
  );
  const levels = ['2', '3'] as const;
  return (
    <ActionForm title={t('actions.escalate')} submitLabel={t('actions.escalateSubmit')} tone="danger"
      onSubmit={() => s.submit({ reason, ...(to ? { level: Number(to) } : {}) })} pending={s.pending} problem={s.problem} placed={['reason', 'level']}>
      <TextArea label={t('actions.reason')} required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} error={s.fieldErrors.reason} />
      <SelectField label={t('actions.level')} value={to} onChange={setTo} error={s.fieldErrors.level}
        options={[{ value: '', label: t('actions.nextLevel') }, ...levels.map((l) => ({ value: l, label: t(`escalation.level${l}`) }))]} />
    </ActionForm>
  );
}
