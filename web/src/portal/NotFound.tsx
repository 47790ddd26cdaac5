import { useTranslation } from 'react-i18next';
import { NotFoundPage } from '../shared/NotFoundPage';
import { PortalLink } from './links';

export function NotFound() {
  const { t } = useTranslation();
  return <NotFoundPage home={<PortalLink to="/" className="button">{t('portal.myComplaints')}</PortalLink>} />;
}
