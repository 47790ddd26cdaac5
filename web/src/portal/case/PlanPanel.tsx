import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import type { CaseDetail } from '../../api/types';
import { TextArea } from '../../shared/Field';
import { formatMoney, formatTime } from '../../shared/format';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useLanguage } from '../../shared/Time';

/** The proposed plan; when `actions` has giveFeedback, accept it or reject it with a comment. */
export function PlanPanel({ complaint, canAnswer }: { complaint: CaseDetail; canAnswer: boolean }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const plan = complaint.plan!;
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState('');
  const feedback = useSubmission(
    (body: { accepted: boolean; comment?: string }, key: string) =>
      ok(api.POST('/api/v1/complaints/{id}/feedback', { params: { path: { id: complaint.id }, header: { 'idempotency-key': key } }, body })),
    { invalidate: [queryKeys.case(complaint.id)], onSuccess: () => { setRejecting(false); setComment(''); } },
  );
  const answers = complaint.feedback.filter((f) => f.planVersion === plan.version);
  const reject = (e: FormEvent) => {
    e.preventDefault();
    feedback.submit({ accepted: false, ...(comment.trim() ? { comment } : {}) });
  };
  return (
    <section className="panel" aria-labelledby="plan">
      <div className="panel-head">
        <h2 id="plan">{t('plan.title')}</h2>
        <span className="muted">{t('plan.version', { version: plan.version })}</span>
      </div>
      <dl className="facts">
        <dt>{t('plan.remedy')}</dt>
        <dd>{t(`remedy.${plan.remedy}`)}</dd>
        {plan.amount !== undefined && (
          <>
            <dt>{t('plan.amount')}</dt>
            <dd>{formatMoney(plan.amount, plan.currency, lang)}</dd>
          </>
        )}
        <dt>{t('plan.description')}</dt>
        <dd className="prewrap">{plan.description}</dd>
      </dl>
      {answers.map((a) => (
        <p key={a.at} className="muted">
          {a.accepted ? t('plan.youAccepted') : t('plan.youRejected')} · {formatTime(a.at, complaint.timeZone, lang)}
          {a.comment ? ` — “${a.comment}”` : ''}
        </p>
      ))}
      {canAnswer && (
        <div className="plan-answer">
          <ProblemAlert problem={feedback.problem} isPlaced={(p) => p === 'comment'} />
          {!rejecting ? (
            <div className="form-actions">
              <button type="button" className="button" disabled={feedback.pending} onClick={() => feedback.submit({ accepted: true })}>
                {feedback.pending ? t('form.sending') : t('plan.accept')}
              </button>
              <button type="button" className="button button-secondary" disabled={feedback.pending} onClick={() => setRejecting(true)}>
                {t('plan.reject')}
              </button>
            </div>
          ) : (
            <form onSubmit={reject} className="form">
              <TextArea
                label={t('plan.rejectComment')}
                hint={t('plan.rejectHint')}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                error={feedback.fieldErrors.comment}
                autoFocus
              />
              <div className="form-actions">
                <button type="submit" className="button button-danger" disabled={feedback.pending}>
                  {feedback.pending ? t('form.sending') : t('plan.sendRejection')}
                </button>
                <button type="button" className="button button-quiet" onClick={() => setRejecting(false)}>
                  {t('form.cancel')}
                </button>
              </div>
            </form>
          )}
        </div>
      )}
    </section>
  );
}
