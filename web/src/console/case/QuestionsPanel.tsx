import { useTranslation } from 'react-i18next';
import type { CaseDetail, InformationRequest } from '../../api/types';
import { Badge, type Tone } from '../../shared/Badge';
import { Time } from '../../shared/Time';
import { actorName } from '../../shared/timeline-words';
import { LinkList } from '../../shared/LinkList';

const tones: Record<InformationRequest['status'], Tone> = { open: 'amber', answered: 'green', unanswered: 'red', cancelled: 'grey' };

/** The questions asked of the consumer: who asked, until when, what they answered (shown once there is one). */
export function QuestionsPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const questions = complaint.informationRequests ?? [];
  if (questions.length === 0) return null;
  const zone = complaint.timeZone;
  return (
    <section className="panel" aria-labelledby="questions">
      <h2 id="questions">{t('questions.title')}</h2>
      <ol className="plain-list stack">
        {[...questions].reverse().map((q) => (
          <li key={q.key}>
            <div className="dept-head">
              <strong>{actorName(q.askedBy, t, { staff: true })}</strong>
              <Badge tone={tones[q.status]}>{t(`questionStatus.${q.status}`)}</Badge>
            </div>
            <p className="prewrap">{q.question}</p>
            {q.needed && q.needed.length > 0 && (
              <p className="sub">{t('questions.needed')}: {q.needed.join(t('common.listSeparator'))}</p>
            )}
            <span className="sub">
              {t('questions.asked')} <Time iso={q.askedAt} timeZone={zone} /> · {t('questions.answerBy')} <Time iso={q.replyBy} timeZone={zone} />
              {q.resumedAt && <> · {t('questions.resumed')} <Time iso={q.resumedAt} timeZone={zone} /></>}
            </span>
            {q.answer && (
              <div className="question-answer">
                <p className="sub">{t('questions.answer')} · {t('questions.answered')} <Time iso={q.answer.at} timeZone={zone} /></p>
                <p className="prewrap">{q.answer.text}</p>
                <LinkList links={q.answer.evidence} />
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
