import { useTranslation } from 'react-i18next';
import { ConsoleLink } from '../links';
import { isView, savedViews, type QueueSearch } from './search';

/** Saved views: named links with preset search params (just URLs). */
export function SavedViews({ search }: { search: QueueSearch }) {
  const { t } = useTranslation();
  return (
    <nav className="views" aria-label={t('queue.views')}>
      {savedViews.map((view) => {
        const current = isView(search, view.search);
        return (
          <ConsoleLink key={view.key} to="/queue" search={view.search} className={`view-link${current ? ' view-current' : ''}`} aria-current={current ? 'page' : undefined}>
            {t(`views.${view.key}`)}
          </ConsoleLink>
        );
      })}
    </nav>
  );
}
