import { useId, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../../../api/client';
import { ProblemAlert } from '../../../shared/ProblemAlert';

/**
 * The frame of an action form: its title, the server's refusal (a 409 says why), its fields,
 * and one submit button disabled while sending.
 */
export function ActionForm({ title, submitLabel, onSubmit, pending, problem, placed, done, children, tone = 'primary' }: {
  title: string;
  submitLabel: string;
  onSubmit: () => void;
  pending: boolean;
  problem: ApiProblem | undefined;
  /** The paths whose errors the form's fields show. */
  placed: readonly string[];
  done?: boolean;
  children?: ReactNode;
  tone?: 'primary' | 'danger';
}) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const headingId = useId();
  return (
    <form className="action-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <ProblemAlert problem={problem} isPlaced={(p) => placed.some((x) => p === x || p.startsWith(`${x}.`))} />
      {done && !problem && (
        <p className="alert alert-ok" role="status">
          {t('actions.done')}
        </p>
      )}
      {children}
      <div className="form-actions">
        <button type="submit" className={tone === 'danger' ? 'button button-danger' : 'button'} disabled={pending}>
          {pending ? t('form.sending') : submitLabel}
        </button>
      </div>
    </form>
  );
}
