import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { mutationKeys, queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import type { ErasureAnswer } from '../../api/types';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { Time } from '../../shared/Time';
import { PortalLink } from '../links';

/**
 * The owner has their personal data in an ended case erased (shown when `actions` has
 * erasePersonalData): what goes and what stays, a box to tick, then one request. The case is
 * theirs no more afterwards, so the page shows `ErasedConfirmation` instead.
 */
export function EraseMyData({ id, onErased }: { id: string; onErased: (answer: ErasureAnswer) => void }) {
  const { t } = useTranslation();
  const checkId = useId();
  const [understood, setUnderstood] = useState(false);
  const [notTicked, setNotTicked] = useState(false);
  const erasure = useSubmission(
    () => ok(api.POST('/api/v1/complaints/{id}/erasure', { params: { path: { id } } })),
    { mutationKey: mutationKeys.erasure(id), invalidate: [queryKeys.cases], onSuccess: (answer) => onErased(answer) },
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!understood) return setNotTicked(true);
    erasure.submit({});
  };
  const error = notTicked && !understood ? t('erase.tickFirst') : undefined;
  return (
    <section className="panel" aria-labelledby="erase">
      <h2 id="erase">{t('erase.title')}</h2>
      <p>{t('erase.lead')}</p>
      <ul>
        <li>{t('erase.what')}</li>
        <li>{t('erase.figures')}</li>
        <li>{t('erase.gone')}</li>
      </ul>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="alert alert-warn">
          <p className="alert-title">{t('erase.final')}</p>
        </div>
        <ProblemAlert problem={erasure.problem} />
        <div className="confirm-check">
          <label className="check">
            <input type="checkbox" checked={understood} aria-invalid={error ? true : undefined} aria-describedby={error ? `${checkId}-error` : undefined}
              onChange={(e) => { setUnderstood(e.target.checked); setNotTicked(false); }} />
            {t('erase.understand')}
          </label>
          {error && <p className="field-error" id={`${checkId}-error`}>{error}</p>}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-danger" disabled={erasure.pending}>
            {erasure.pending ? t('erase.erasing') : t('erase.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** After the owner's erasure: what was done, and the way home (the case is no longer theirs to open; CasePage titles it). */
export function ErasedConfirmation({ answer, timeZone }: { answer: ErasureAnswer; timeZone: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const done = answer.status === 'erased';
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="page narrow">
      <h1 ref={heading} tabIndex={-1}>{done ? t('erase.doneTitle') : t('erase.pendingTitle')}</h1>
      <div className="alert alert-ok" role="status">
        {done ? (
          <p>{t('erase.doneAt')} {answer.erasedAt ? <Time iso={answer.erasedAt} timeZone={timeZone} /> : null}</p>
        ) : (
          <p>{t('erase.pendingBody')}</p>
        )}
        <p>{t('erase.doneBody')}</p>
      </div>
      <p>
        <PortalLink to="/" className="button">{t('erase.home')}</PortalLink>
      </p>
    </section>
  );
}
