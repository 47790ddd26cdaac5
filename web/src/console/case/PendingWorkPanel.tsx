import { useTranslation } from 'react-i18next';
import type { CaseDetail, HandlerRequest } from '../../api/types';
import { Badge, type Tone } from '../../shared/Badge';
import { Time } from '../../shared/Time';

const tones: Record<HandlerRequest['status'], Tone> = { pending: 'grey', accepted: 'blue', done: 'green', failed: 'red' };

/** Handler calls: the case's requests, and the calls being retried now (attempts, last failure). */
export function PendingWorkPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const waiting = complaint.waitingOn ?? [];
  return (
    <section className="panel" aria-labelledby="pending">
      <h2 id="pending">{t('pending.title')}</h2>
      {complaint.requests.length === 0 ? (
        <p className="muted">{t('pending.noRequests')}</p>
      ) : (
        <ul className="plain-list stack">
          {complaint.requests.map((r) => (
            <li key={r.key}>
              <strong>{t(`handler.${r.handler}`)}</strong> · {t(`requestKind.${r.kind}`)} <Badge tone={tones[r.status]}>{t(`requestStatus.${r.status}`)}</Badge>
              <span className="sub">
                <Time iso={r.at} timeZone={complaint.timeZone} />
                {r.reference ? ` · ${t('pending.reference', { reference: r.reference })}` : ''}
              </span>
              {r.reason && <span className="sub">{r.reason}</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('pending.calls')}</h3>
      {waiting.length === 0 ? (
        <p className="muted">{t('pending.noCalls')}</p>
      ) : (
        <ul className="plain-list stack">
          {waiting.map((w, i) => (
            <li key={`${w.request ?? w.activity}-${i}`}>
              <strong>{w.activity}</strong>
              {w.request && <code className="sub">{w.request}</code>}
              <span className="sub">
                {t('pending.attempt', { attempt: w.attempt })} · {w.state}
                {w.nextAttemptAt && <> · {t('pending.nextAttempt')} <Time iso={w.nextAttemptAt} timeZone={complaint.timeZone} /></>}
              </span>
              {w.lastFailure && <span className="sub late">{t('pending.lastFailure', { failure: w.lastFailure })}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
