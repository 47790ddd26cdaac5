import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../api/client';

/**
 * Why the server refused: a 409 says the state, validation lists what to fix next to each field
 * (this banner says so), anything else its detail.
 */
export function ProblemAlert({ problem, isPlaced = () => false }: {
  problem: ApiProblem | undefined;
  /** Whether the form shows the error of this path next to its field (the banner lists the others). */
  isPlaced?: (path: string) => boolean;
}) {
  const { t } = useTranslation();
  if (!problem) return null;
  const title =
    problem.status === 409 ? t('problem.conflict')
      : problem.status === 400 || problem.status === 422 ? t('problem.invalid')
        : problem.status === 403 ? t('problem.forbidden')
          : problem.status === 404 ? t('problem.notFound')
            : problem.status === 0 ? t('problem.network')
              : t('problem.failed');
  const unplaced = (problem.problem.errors ?? []).filter((e) => !isPlaced(e.path));
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{title}</p>
      {problem.problem.detail && <p>{problem.problem.detail}</p>}
      {problem.status === 0 && <p>{t('problem.tryAgain')}</p>}
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
