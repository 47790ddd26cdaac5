import { useTranslation } from 'react-i18next';
import type { CaseDetail, Stage } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { Time } from '../../shared/Time';
import { actorName, escalationReason, sameChangeBefore } from '../../shared/timeline-words';

/** The escalation level, why it rose (the timeline's `escalated` events), and the breaches. */
export function EscalationPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  // Each rise with what its change recorded before it: a missed deadline or a reopen explains the platform's own.
  const rises = complaint.timeline.flatMap((e, i) => (e.type === 'escalated' ? [{ e, sameChange: sameChangeBefore(complaint.timeline, i) }] : []));
  const words = { stage: (s: Stage) => t(`stage.${s}`) };
  return (
    <section className="panel" aria-labelledby="escalation">
      <div className="panel-head">
        <h2 id="escalation">{t('escalation.title')}</h2>
        <Badge tone={complaint.escalationLevel > 1 ? 'amber' : 'grey'}>{t(`escalation.level${complaint.escalationLevel as 1 | 2 | 3}`)}</Badge>
      </div>
      {rises.length === 0 ? (
        <p className="muted">{t('escalation.none')}</p>
      ) : (
        <ol className="plain-list stack">
          {rises.map(({ e, sameChange }, i) => (
            <li key={`${e.at}-${i}`}>
              <strong>{t('detail.levels', { from: e.data?.from, to: e.data?.to })}</strong> — {escalationReason(e, sameChange, t, words)}
              <span className="sub">
                {actorName(e.actor, t, { staff: true })} · <Time iso={e.at} timeZone={complaint.timeZone} />
              </span>
            </li>
          ))}
        </ol>
      )}
      <h3>{t('breaches.title')}</h3>
      {complaint.breaches.length === 0 ? (
        <p className="muted">{t('breaches.none')}</p>
      ) : (
        <ul className="plain-list stack">
          {complaint.breaches.map((b) => (
            <li key={`${b.stage}-${b.deadline}`}>
              <Badge tone="red">{t('breaches.breached')}</Badge> <strong>{t(`stage.${b.stage}`)}</strong>
              <span className="sub">
                {t('breaches.due')} <Time iso={b.deadline} timeZone={complaint.timeZone} /> · {t('breaches.recorded')} <Time iso={b.at} timeZone={complaint.timeZone} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
