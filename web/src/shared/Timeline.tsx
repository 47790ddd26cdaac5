import { useTranslation } from 'react-i18next';
import type { InformationRequest, Stage, TimelineEvent } from '../api/types';
import { formatTime } from './format';
import { useLanguage } from './Time';
import { actorName, eventDetail, eventName, sameChangeBefore } from './timeline-words';

/**
 * The case's timeline, newest first, in plain language (staff also see who acted, by id); an
 * answer to a question shows its text (from the case's `informationRequests`).
 */
export function Timeline({ events, timeZone, staff, ownActor, questions = [] }: {
  events: TimelineEvent[];
  timeZone: string;
  staff: boolean;
  ownActor?: string;
  questions?: InformationRequest[] | undefined;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const words = {
    stage: (s: Stage) => t(`stage.${s}`),
    time: (iso: string) => formatTime(iso, timeZone, lang),
    answer: (key: string) => questions.find((q) => q.key === key)?.answer?.text,
  };
  const ordered = [...events].reverse();
  return (
    <ol className="timeline">
      {ordered.map((event, i) => {
        const detail = eventDetail(event, t, words, sameChangeBefore(events, events.length - 1 - i));
        return (
          <li key={`${event.at}-${event.type}-${i}`} className={`timeline-item timeline-${tone(event.type)}`}>
            <span className="timeline-marker" aria-hidden="true" />
            <div className="timeline-body">
              <p className="timeline-title">
                <strong>{eventName(event.type, t)}</strong>
                <span className="timeline-actor">{actorName(event.actor, t, { staff, ...(ownActor ? { ownActor } : {}) })}</span>
              </p>
              {detail && <p className="timeline-detail">{detail}</p>}
              <p className="timeline-time">
                <time dateTime={event.at}>{formatTime(event.at, timeZone, lang)}</time>
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

const tone = (type: string) =>
  /breached|expired|failed/.test(type) ? 'bad' : /warning|escalated|rejected|not_received|reopened/.test(type) ? 'warn' : /resolved|closed|accepted|done|fulfilled/.test(type) ? 'good' : 'plain';
