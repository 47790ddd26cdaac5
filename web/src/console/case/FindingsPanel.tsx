import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { Time } from '../../shared/Time';
import { LinkList } from '../../shared/LinkList';

/**
 * The departments on the case and what each answered (every findings submission, newest last);
 * after a reopen a department is waited on again, its earlier answers marked as such.
 */
export function FindingsPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  // Answers given before the last reopen belong to the earlier round (the API says who is awaited now).
  const earlierRound = (at: string) => complaint.reopenedAt !== undefined && at < complaint.reopenedAt;
  return (
    <section className="panel" aria-labelledby="findings">
      <h2 id="findings">{t('findings.title')}</h2>
      {complaint.departments.length === 0 ? (
        <p className="muted">{t('findings.noDepartments')}</p>
      ) : (
        <ul className="dept-list">
          {complaint.departments.map((d) => {
            const answers = complaint.findings.filter((f) => f.department === d);
            return (
              <li key={d} className="dept">
                <div className="dept-head">
                  <strong>{t(`department.${d}`)}</strong>
                  {answers.length > 0 && !complaint.awaitingFindingsFrom.includes(d) ? <Badge tone="green">{t('findings.answered')}</Badge> : <Badge tone="amber">{t('findings.waiting')}</Badge>}
                </div>
                {answers.map((f, i) => (
                  <div key={`${f.at}-${i}`} className="finding">
                    <p className="prewrap">{f.summary}</p>
                    <p className="sub">
                      {t('detail.responsible', { party: t(`party.${f.responsibleParty}`) })} · <Time iso={f.at} timeZone={complaint.timeZone} />
                      {earlierRound(f.at) && ` · ${t('findings.beforeReopen')}`}
                    </p>
                    <LinkList links={f.evidence} />
                  </div>
                ))}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
