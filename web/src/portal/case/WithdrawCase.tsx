import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import { TextArea } from '../../shared/Field';
import { ProblemAlert } from '../../shared/ProblemAlert';

/** Withdraw, with a confirmation step (shown when `actions` has withdraw). */
export function WithdrawCase({ id }: { id: string }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const withdrawal = useSubmission(
    (body: { reason?: string }, key: string) =>
      ok(api.POST('/api/v1/complaints/{id}/withdraw', { params: { path: { id }, header: { 'idempotency-key': key } }, body })),
    { invalidate: [queryKeys.case(id), queryKeys.cases], onSuccess: () => setConfirming(false) },
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    withdrawal.submit(reason.trim() ? { reason } : {});
  };
  return (
    <section className="panel" aria-labelledby="withdraw">
      <h2 id="withdraw">{t('withdraw.title')}</h2>
      {!confirming ? (
        <>
          <p className="muted">{t('withdraw.lead')}</p>
          <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
            {t('withdraw.start')}
          </button>
        </>
      ) : (
        <form className="form" onSubmit={onSubmit}>
          <div className="alert alert-warn" role="alert">
            <p className="alert-title">{t('withdraw.confirmTitle')}</p>
            <p>{t('withdraw.confirmBody')}</p>
          </div>
          <ProblemAlert problem={withdrawal.problem} isPlaced={(p) => p === 'reason'} />
          <TextArea label={t('withdraw.reason')} value={reason} onChange={(e) => setReason(e.target.value)} error={withdrawal.fieldErrors.reason} rows={3} />
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={withdrawal.pending}>
              {withdrawal.pending ? t('form.sending') : t('withdraw.confirm')}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
              {t('withdraw.keep')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
