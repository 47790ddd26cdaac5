import { useTranslation } from 'react-i18next';
import { formatDuration } from './format';
import { useNow } from './hooks';

/**
 * Time left until a due time the API gave, ticking every second (display only: the state
 * word and colour are the API's badge).
 */
export function Countdown({ dueAt }: { dueAt: string | undefined }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  if (!dueAt) return <span className="muted">—</span>;
  const left = Date.parse(dueAt) - now;
  const words = left >= 0 ? t('countdown.left', { duration: formatDuration(left, t, { seconds: true }) }) : t('countdown.overdue', { duration: formatDuration(-left, t, { seconds: true }) });
  return (
    <time dateTime={dueAt} className={left >= 0 ? 'countdown' : 'countdown countdown-late'}>
      {words}
    </time>
  );
}
