import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import type { BodyOf } from '../../api/types';
import { TextArea } from '../../shared/Field';
import { ProblemAlert } from '../../shared/ProblemAlert';

type Reopen = BodyOf<'/api/v1/complaints/{id}/reopen'>;

/** Reopen a closed case, with its reason and a confirmation step (shown when `actions` has reopen). */
export function ReopenCase({ id }: { id: string }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const reopening = useSubmission(
    (body: Reopen, key: string) =>
      ok(api.POST('/api/v1/complaints/{id}/reopen', { params: { path: { id }, header: { 'idempotency-key': key } }, body })),
    { invalidate: [queryKeys.case(id), queryKeys.cases], onSuccess: () => { setConfirming(false); setReason(''); } },
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    reopening.submit({ reason });
  };
  return (
    <section className="panel" aria-labelledby="reopen">
      <h2 id="reopen">{t('reopen.title')}</h2>
      <p className="muted">{t('reopen.lead')}</p>
      {!confirming ? (
        <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
          {t('reopen.start')}
        </button>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate>
          <div className="alert alert-warn" role="alert">
            <p className="alert-title">{t('reopen.confirmTitle')}</p>
            <p>{t('reopen.confirmBody')}</p>
          </div>
          <ProblemAlert problem={reopening.problem} isPlaced={(p) => p === 'reason'} />
          <TextArea label={t('reopen.reason')} required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} error={reopening.fieldErrors.reason} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={reopening.pending}>
              {reopening.pending ? t('form.sending') : t('reopen.confirm')}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
              {t('reopen.keep')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
