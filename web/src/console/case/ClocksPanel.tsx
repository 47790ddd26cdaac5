import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';
import { ClockBadge } from '../../shared/ClockBadge';
import { Countdown } from '../../shared/Countdown';
import { formatDuration } from '../../shared/format';
import { openQuestion } from '../../shared/questions';
import { Time } from '../../shared/Time';

/** Every clock of the case: stage, state (the API's), due time, how long it took or how late; a clock paused by the open question says so. */
export function ClocksPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const waitingOn = openQuestion(complaint)?.pausedStages ?? [];
  return (
    <section className="panel" aria-labelledby="clocks">
      <h2 id="clocks">{t('clocks.title')}</h2>
      {complaint.clocks.length === 0 ? (
        <p className="muted">{t('clocks.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <caption className="sr-only">{t('clocks.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('clocks.stage')}</th>
                <th scope="col">{t('clocks.state')}</th>
                <th scope="col">{t('clocks.started')}</th>
                <th scope="col">{t('clocks.due')}</th>
                <th scope="col">{t('clocks.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {complaint.clocks.map((c) => (
                <tr key={c.stage}>
                  <th scope="row">{t(`stage.${c.stage}`)}</th>
                  <td><ClockBadge state={c.state} /></td>
                  <td><Time iso={c.startedAt} timeZone={complaint.timeZone} /></td>
                  <td>
                    <Time iso={c.dueAt} timeZone={complaint.timeZone} />
                    {c.warningAt && !c.finishedAt && c.state !== 'paused' && (
                      <span className="sub">{t('clocks.warningAt')} <Time iso={c.warningAt} timeZone={complaint.timeZone} /></span>
                    )}
                  </td>
                  <td>
                    {c.finishedAt ? (
                      <span>
                        {t('clocks.took', { duration: c.tookMs !== undefined ? formatDuration(c.tookMs, t) : '—' })}
                        <span className="sub">{t('clocks.finished')} <Time iso={c.finishedAt} timeZone={complaint.timeZone} /></span>
                      </span>
                    ) : c.state === 'paused' ? (
                      <span className="muted">{waitingOn.includes(c.stage) ? t('clocks.pausedForAnswer') : t('clocks.stopped')}</span>
                    ) : (
                      <Countdown dueAt={c.dueAt} />
                    )}
                    {c.overdueMs !== undefined && c.overdueMs > 0 && (
                      <span className="sub late">{t('clocks.lateBy', { duration: formatDuration(c.overdueMs, t) })}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
