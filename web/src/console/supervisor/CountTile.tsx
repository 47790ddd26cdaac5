import { useTranslation } from 'react-i18next';
import { useCaseList } from '../../api/queries';
import type { Tone } from '../../shared/Badge';
import { ConsoleLink } from '../links';
import { listQueryOf, type QueueSearch } from '../queue/search';

/** How many cases a queue view holds (up to a page of 100: "100+" beyond), a link to that view. */
export function CountTile({ label, tone, search }: { label: string; tone: Tone; search: QueueSearch }) {
  const { t } = useTranslation();
  const list = useCaseList(listQueryOf(search, 100)); // the same query the queue view runs
  const count = list.data ? `${list.data.items.length}${list.data.nextCursor ? '+' : ''}` : '…';
  return (
    <ConsoleLink to="/queue" search={search} className={`tile tile-${tone}`}>
      <span className="tile-count">{count}</span>
      <span className="tile-label">{label}</span>
      <span className="tile-open">{t('supervisor.openQueue')}</span>
    </ConsoleLink>
  );
}
