import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/client';
import { ProblemAlert } from './ProblemAlert';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A query that failed: the problem as the server said it. */
export function LoadFailed({ error }: { error: unknown }) {
  const problem = error instanceof ApiProblem ? error : new ApiProblem(0, { detail: String(error) });
  return <ProblemAlert problem={problem} />;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
