import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import { ConfirmButtons } from '../../shared/ConfirmButtons';
import { SelectField, TextArea, TextField } from '../../shared/Field';
import { ProblemAlert } from '../../shared/ProblemAlert';

type Kind = 'retry' | 'reset';
type ResetPoint = 'last-workflow-task' | 'first-workflow-task' | 'event';

/**
 * Retry (run the failing activities again now) and reset (to a workflow task), each with a
 * reason and a confirmation step; the answer (the activities retried, the new run) is shown.
 */
export function RepairForm({ id, kind, onDone }: { id: string; kind: Kind; onDone?: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [point, setPoint] = useState<ResetPoint>('last-workflow-task');
  const [eventId, setEventId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [answer, setAnswer] = useState<string>();
  const invalidate = [queryKeys.stuck, queryKeys.ops(id), queryKeys.case(id)];
  const retry = useSubmission(
    (body: { reason: string }) => ok(api.POST('/api/v1/ops/complaints/{id}/retry', { params: { path: { id } }, body })),
    { invalidate, onSuccess: (r) => { setAnswer(t('ops.retried', { activities: r.retried.join(', ') || '—' })); setConfirming(false); onDone?.(); } },
  );
  const reset = useSubmission(
    (body: { to: 'last-workflow-task' | 'first-workflow-task' | number; reason: string }) =>
      ok(api.POST('/api/v1/ops/complaints/{id}/reset', { params: { path: { id } }, body })),
    { invalidate, onSuccess: (r) => { setAnswer(t('ops.resetDone', { runId: r.runId, eventId: r.eventId })); setConfirming(false); onDone?.(); } },
  );
  const s = kind === 'retry' ? retry : reset;
  const to = point === 'event' ? Number(eventId) : point;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!confirming) return setConfirming(true);
    if (kind === 'retry') retry.submit({ reason });
    else reset.submit({ to, reason });
  };
  return (
    <form className="action-form" onSubmit={onSubmit} noValidate>
      <h3>{kind === 'retry' ? t('ops.retryTitle') : t('ops.resetTitle')}</h3>
      <p className="hint">{kind === 'retry' ? t('ops.retryHint') : t('ops.resetHint')}</p>
      <ProblemAlert problem={s.problem} isPlaced={(p) => p === 'reason' || p === 'to'} />
      {answer && !s.problem && <p className="alert alert-ok" role="status">{answer}</p>}
      {kind === 'reset' && (
        <div className="grid-2">
          <SelectField label={t('ops.resetTo')} value={point} onChange={(v) => setPoint((v || 'last-workflow-task') as ResetPoint)} error={s.fieldErrors.to}
            options={[
              { value: 'last-workflow-task', label: t('ops.lastTask') },
              { value: 'first-workflow-task', label: t('ops.firstTask') },
              { value: 'event', label: t('ops.eventId') },
            ]} />
          {point === 'event' && <TextField label={t('ops.eventIdLabel')} inputMode="numeric" value={eventId} onChange={(e) => setEventId(e.target.value)} required />}
        </div>
      )}
      <TextArea label={t('ops.reason')} required rows={2} value={reason} onChange={(e) => { setReason(e.target.value); setConfirming(false); }} error={s.fieldErrors.reason}
        hint={t('ops.reasonHint')} />
      {confirming && (
        <div className="alert alert-warn" role="alert">
          <p className="alert-title">{kind === 'retry' ? t('ops.confirmRetry', { id }) : t('ops.confirmReset', { id })}</p>
        </div>
      )}
      <ConfirmButtons
        confirming={confirming} pending={s.pending} startLabel={kind === 'retry' ? t('ops.retry') : t('ops.reset')} confirmLabel={t('ops.confirm')}
        onCancel={() => setConfirming(false)}
      />
    </form>
  );
}
