import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import { TextArea } from '../../shared/Field';
import { ProblemAlert } from '../../shared/ProblemAlert';

const scores = [1, 2, 3, 4, 5] as const;

/** The revisit: a score of 1-5 and a comment (shown when `actions` has rateSatisfaction). */
export function RateSatisfaction({ id }: { id: string }) {
  const { t } = useTranslation();
  const [score, setScore] = useState<number | undefined>();
  const [comment, setComment] = useState('');
  const rating = useSubmission(
    (body: { score: number; comment?: string }, key: string) =>
      ok(api.POST('/api/v1/complaints/{id}/satisfaction', { params: { path: { id }, header: { 'idempotency-key': key } }, body })),
    { invalidate: [queryKeys.case(id)] },
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    rating.submit({ score: score ?? 0, ...(comment.trim() ? { comment } : {}) });
  };
  const scoreError = rating.fieldErrors.score;
  return (
    <section className="panel" aria-labelledby="rate">
      <h2 id="rate">{t('rate.title')}</h2>
      <p>{t('rate.lead')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={rating.problem} isPlaced={(p) => p === 'score' || p === 'comment'} />
        <fieldset className="rating" aria-describedby={scoreError ? 'score-error' : undefined} aria-invalid={scoreError ? true : undefined}>
          <legend>{t('rate.scoreLegend')}</legend>
          <div className="rating-options">
            {scores.map((s) => (
              <label key={s} className={`rating-option${score === s ? ' rating-chosen' : ''}`}>
                <input type="radio" name="score" value={s} checked={score === s} onChange={() => setScore(s)} required />
                <span className="rating-number">{s}</span>
                <span className="rating-word">{t(`rate.word${s}`)}</span>
              </label>
            ))}
          </div>
          {scoreError && <p className="field-error" id="score-error">{scoreError}</p>}
        </fieldset>
        <TextArea label={t('rate.comment')} value={comment} onChange={(e) => setComment(e.target.value)} error={rating.fieldErrors.comment} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={rating.pending}>
            {rating.pending ? t('form.sending') : t('rate.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
