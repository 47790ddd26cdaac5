import { useTranslation } from 'react-i18next';
import { useCaseList, useMe } from '../../api/queries';
import { useTitle } from '../../shared/hooks';
import { Empty, LoadFailed, Loading } from '../../shared/States';
import { ConsoleLink } from '../links';
import { CaseTable } from './CaseTable';
import { QueueFilters } from './QueueFilters';
import { SavedViews } from './SavedViews';
import { listQueryOf, type QueueSearch } from './search';

/** The agent queue: soonest deadline first by default; filters and views are the URL's. */
export function QueuePage({ search }: { search: QueueSearch }) {
  const { t } = useTranslation();
  const me = useMe();
  useTitle(t('queue.title'));
  const list = useCaseList(listQueryOf(search));
  return (
    <section className="page wide">
      <div className="page-head">
        <div>
          <h1>{t('queue.title')}</h1>
          <p className="lead">{search.sort === 'newest' ? t('queue.leadNewest') : t('queue.leadDeadline')}</p>
        </div>
        {list.isFetching && <span className="live" aria-hidden="true">{t('common.live')}</span>}
      </div>
      <SavedViews search={search} />
      <QueueFilters search={search} hideDepartment={me.data?.role === 'department'} />
      {!list.data ? (
        list.isError ? <LoadFailed error={list.error} /> : <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('queue.empty')}</Empty>
      ) : (
        <>
          <CaseTable items={list.data.items} caption={t('queue.title')} />
          <nav className="pager" aria-label={t('queue.pages')}>
            {search.cursor && (
              <ConsoleLink to="/queue" search={{ ...search, cursor: undefined }} className="button button-secondary">
                {t('queue.firstPage')}
              </ConsoleLink>
            )}
            {list.data.nextCursor && (
              <ConsoleLink to="/queue" search={{ ...search, cursor: list.data.nextCursor }} className="button button-secondary">
                {t('queue.nextPage')}
              </ConsoleLink>
            )}
          </nav>
        </>
      )}
    </section>
  );
}
