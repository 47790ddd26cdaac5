import { useTranslation } from 'react-i18next';
import { useCase } from '../../api/queries';
import { LoadFailed, Loading } from '../../shared/States';
import { FindingsForm } from '../case/actions/FindingsForm';
import { ConsoleLink } from '../links';

/** The findings form inline, when the case's `actions` offer it to the caller. */
export function InlineFindings({ id }: { id: string }) {
  const { t } = useTranslation();
  const query = useCase(id);
  if (!query.data) return query.isError ? <LoadFailed error={query.error} /> : <Loading />;
  const action = query.data.actions.find((a) => a.type === 'submitFindings');
  return (
    <div className="inline-form">
      <p className="prewrap description-snippet">{query.data.description}</p>
      {action ? (
        <FindingsForm id={id} departments={action.departments ?? []} compact />
      ) : (
        <p className="muted">{t('inbox.nothingToAnswer')}</p>
      )}
      <ConsoleLink to="/complaints/$id" params={{ id }}>{t('inbox.openCase')}</ConsoleLink>
    </div>
  );
}
