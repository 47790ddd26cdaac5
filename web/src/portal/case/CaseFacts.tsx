import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';
import { LinkList } from '../../shared/LinkList';

/** What the consumer told us: the description, the evidence, how we reach them. */
export function CaseFacts({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="facts">
      <h2 id="facts">{t('case.details')}</h2>
      <dl className="facts">
        <dt>{t('intake.category')}</dt>
        <dd>{t(`category.${complaint.category}`)}</dd>
        <dt>{t('intake.description')}</dt>
        <dd className="prewrap">{complaint.description}</dd>
        <dt>{t('evidence.legend')}</dt>
        <dd>
          {complaint.evidence.length === 0 ? (
            <span className="muted">{t('common.none')}</span>
          ) : (
            <LinkList links={complaint.evidence} label={(i) => t('evidence.link', { n: i + 1 })} />
          )}
        </dd>
        <dt>{t('intake.contact')}</dt>
        <dd>
          {complaint.contact.name}
          {complaint.contact.phone && <><br />{complaint.contact.phone}</>}
          {complaint.contact.email && <><br />{complaint.contact.email}</>}
        </dd>
      </dl>
    </section>
  );
}
