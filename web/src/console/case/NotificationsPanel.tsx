import { useTranslation } from 'react-i18next';
import { useNotifications } from '../../api/queries';
import type { CaseDetail, Notification } from '../../api/types';
import { Badge, type Tone } from '../../shared/Badge';
import { Time } from '../../shared/Time';

const tone = (status: string): Tone => (status === 'sent' ? 'green' : status === 'failed' ? 'red' : 'grey');

/** The messages sent about the case (recipients masked by the API). */
export function NotificationsPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const query = useNotifications(complaint.id, true);
  const items: Notification[] = query.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="notifications">
      <h2 id="notifications">{t('notifications.title')}</h2>
      {query.isError && !query.data ? (
        <p className="muted">{t('notifications.unavailable')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{query.data ? t('notifications.none') : t('common.loading')}</p>
      ) : (
        <ul className="plain-list stack">
          {items.map((n) => (
            <li key={n.id}>
              <strong>{t(`notificationEvent.${n.event as 'received'}`, { defaultValue: n.event })}</strong>{' '}
              <Badge tone={tone(n.status)}>{t(`notificationStatus.${n.status as 'sent'}`, { defaultValue: n.status })}</Badge>
              <span className="sub">
                {t(`notificationRecipient.${n.recipient as 'consumer'}`, { defaultValue: n.recipient })} · {t(`notificationChannel.${n.channel as 'sms'}`, { defaultValue: n.channel })}
                {n.to ? ` · ${n.to}` : ''}
              </span>
              <span className="sub">
                <Time iso={n.sentAt ?? n.createdAt} timeZone={complaint.timeZone} />
                {n.attempts > 1 ? ` · ${t('pending.attempt', { attempt: n.attempts })}` : ''}
              </span>
              {n.lastError && <span className="sub late">{n.lastError}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
