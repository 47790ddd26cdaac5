import { useTranslation } from 'react-i18next';
import type { CaseDetail, Clock, Stage } from '../../api/types';
import { formatTime } from '../../shared/format';
import { openQuestion } from '../../shared/questions';
import { SlaBadge } from '../../shared/SlaBadge';
import { useLanguage } from '../../shared/Time';

/**
 * Where the case stands, in plain language: what it is waiting on and until when ("The quality
 * team is inspecting; answer due Thu 3 Dec 18:00 GMT+8"). Words from the status, the
 * departments and their findings; the times are the API's clocks.
 */
export function WhereItStands({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const clock = (stage: Stage): Clock | undefined => complaint.clocks.find((c) => c.stage === stage);
  const at = (c: Clock | undefined) => (c ? formatTime(c.dueAt, complaint.timeZone, lang) : undefined);
  const late = (c: Clock | undefined) => c?.state === 'breached' && !c.finishedAt;
  const lines: Array<{ text: string; late?: boolean }> = [];
  const line = (text: string, c?: Clock) => lines.push({ text, late: late(c) });

  switch (complaint.status) {
    case 'received': {
      const c = clock('acknowledge');
      line(c ? t('where.received', { due: at(c) }) : t('where.receivedNoDue'), c);
      break;
    }
    case 'acknowledged':
    case 'investigating': {
      const c = clock('investigate');
      const waiting = complaint.awaitingFindingsFrom;
      if (waiting.length === 0) line(c ? t('where.investigating', { due: at(c) }) : t('where.investigatingNoDue'), c);
      for (const d of waiting) line(c ? t(`where.inspecting.${d}`, { due: at(c) }) : t(`where.inspectingNoDue.${d}`), c);
      for (const d of complaint.departments.filter((x) => !waiting.includes(x))) line(t(`where.answered.${d}`));
      break;
    }
    case 'planning': {
      const c = clock('plan');
      line(c ? t('where.planning', { due: at(c) }) : t('where.planningNoDue'), c);
      break;
    }
    case 'awaiting_feedback': {
      const c = clock('feedback');
      line(c ? t('where.awaitingFeedback', { due: at(c) }) : t('where.awaitingFeedbackNoDue'), c);
      break;
    }
    case 'awaiting_consumer': {
      const question = openQuestion(complaint);
      line(question ? t('where.awaiting_consumer', { due: formatTime(question.replyBy, complaint.timeZone, lang) }) : t('where.awaiting_consumerNoDue'));
      break;
    }
    case 'fulfilling': {
      const repair = clock('repair');
      const c = repair && !repair.finishedAt ? repair : clock('resolve');
      line(c ? t('where.fulfilling', { due: at(c) }) : t('where.fulfillingNoDue'), c);
      break;
    }
    case 'resolved': {
      const c = clock('revisit');
      line(c ? t('where.resolved', { due: at(c) }) : t('where.resolvedNoDue'));
      break;
    }
    default:
      line(t(`where.${complaint.status}`));
  }

  const resolve = clock('resolve');
  const open = resolve && !resolve.finishedAt && resolve.state !== 'paused';
  return (
    <section className="panel panel-highlight" aria-labelledby="where">
      <div className="panel-head">
        <h2 id="where">{t('where.title')}</h2>
        <SlaBadge sla={complaint.sla} />
      </div>
      <ul className="where-list">
        {lines.map((l, i) => (
          <li key={i} className={l.late ? 'where-late' : undefined}>
            {l.text}
            {l.late && <span className="where-note"> {t('where.overdue')}</span>}
          </li>
        ))}
      </ul>
      {open && <p className="muted">{t('where.expectedCompletion', { due: formatTime(resolve.dueAt, complaint.timeZone, lang) })}</p>}
    </section>
  );
}
