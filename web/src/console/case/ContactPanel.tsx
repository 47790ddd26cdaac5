import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';

/** The consumer and how to reach them (a department sees it masked, as the API answers). */
export function ContactPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="contact">
      <h2 id="contact">{t('case.contact')}</h2>
      <dl className="facts">
        <dt>{t('intake.name')}</dt>
        <dd>{complaint.contact.name}</dd>
        {complaint.contact.phone && (<><dt>{t('intake.phone')}</dt><dd>{complaint.contact.phone}</dd></>)}
        {complaint.contact.email && (<><dt>{t('intake.email')}</dt><dd>{complaint.contact.email}</dd></>)}
        <dt>{t('case.language')}</dt>
        <dd>{complaint.locale === 'en' ? 'English' : '简体中文'}</dd>
        {complaint.assignee && (<><dt>{t('case.assignee')}</dt><dd>{complaint.assignee}</dd></>)}
      </dl>
    </section>
  );
}
