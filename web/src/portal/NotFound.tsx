import { useTranslation } from 'react-i18next';
import { useTitle } from '../shared/hooks';
import { PortalLink } from './links';

export function NotFound() {
  const { t } = useTranslation();
  useTitle(t('notFound.title'));
  return (
    <section className="page narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <PortalLink to="/" className="button">
        {t('portal.myComplaints')}
      </PortalLink>
    </section>
  );
}
