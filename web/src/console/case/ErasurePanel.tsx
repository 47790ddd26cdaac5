import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import type { BodyOf, CaseDetail, ErasureAnswer } from '../../api/types';
import { ConfirmButtons } from '../../shared/ConfirmButtons';
import { TextArea } from '../../shared/Field';
import { ProblemAlert } from '../../shared/ProblemAlert';

type Erase = BodyOf<'/api/v1/ops/complaints/{id}/erase'>;

/**
 * Ops erase an ended case's personal data, with a reason for the audit log and a confirmation
 * step (shown when `actions` has erasePersonalData). A reason left empty is asked for here and
 * nothing is sent; the API's own refusal (too short, too long) shows next to the field.
 */
export function ErasurePanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const id = complaint.id;
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [answer, setAnswer] = useState<ErasureAnswer>();
  const erasure = useSubmission(
    (body: Erase) => ok(api.POST('/api/v1/ops/complaints/{id}/erase', { params: { path: { id } }, body })),
    { invalidate: [queryKeys.case(id), queryKeys.cases, queryKeys.ops(id)], onSuccess: (r) => { setAnswer(r); setConfirming(false); } },
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      setConfirming(false);
      return;
    }
    if (!confirming) return setConfirming(true);
    erasure.submit({ reason });
  };
  const error = missing ? t('erasure.reasonMissing') : erasure.fieldErrors.reason;
  return (
    <section className="panel" aria-labelledby="erasure">
      <h2 id="erasure">{t('erasure.title')}</h2>
      <p className="hint">{t('erasure.lead')}</p>
      <form className="action-form" onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={erasure.problem} isPlaced={(p) => p === 'reason'} />
        {answer && !erasure.problem && (
          <p className="alert alert-ok" role="status">{answer.status === 'erased' ? t('erasure.done') : t('erasure.pending')}</p>
        )}
        <TextArea label={t('erasure.reason')} required rows={3} value={reason} error={error} hint={t('erasure.reasonHint')}
          onChange={(e) => { setReason(e.target.value); setMissing(false); setConfirming(false); }} />
        {confirming && (
          <div className="alert alert-warn" role="alert">
            <p className="alert-title">{t('erasure.confirmTitle', { id })}</p>
            <p>{t('erasure.confirmBody')}</p>
          </div>
        )}
        <ConfirmButtons
          confirming={confirming} pending={erasure.pending} startLabel={t('erasure.start')} confirmLabel={t('erasure.confirm')}
          onCancel={() => setConfirming(false)}
        />
      </form>
    </section>
  );
}
