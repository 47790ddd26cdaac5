import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { Time } from '../../shared/Time';

/** The departments on the case and what each answered (every findings submission, newest last). */
export function FindingsPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
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
                  {answers.length ? <Badge tone="green">{t('findings.answered')}</Badge> : <Badge tone="amber">{t('findings.waiting')}</Badge>}
                </div>
                {answers.map((f, i) => (
                  <div key={`${f.at}-${i}`} className="finding">
                    <p className="prewrap">{f.summary}</p>
                    <p className="sub">
                      {t('detail.responsible', { party: t(`party.${f.responsibleParty}`) })} · <Time iso={f.at} timeZone={complaint.timeZone} />
                    </p>
                    {f.evidence && f.evidence.length > 0 && (
                      <ul className="plain-list">
                        {f.evidence.map((link, k) => (
                          <li key={`${k}-${link}`}>
                            <a href={link} target="_blank" rel="noopener noreferrer nofollow">{link}</a>
                          </li>
                        ))}
                      </ul>
                    )}
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
