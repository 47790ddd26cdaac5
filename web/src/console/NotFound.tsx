import { useTranslation } from 'react-i18next';
import { NotFoundPage } from '../shared/NotFoundPage';
import { ConsoleLink } from './links';

export function NotFound() {
  const { t } = useTranslation();
  return <NotFoundPage home={<ConsoleLink to="/" className="button">{t('nav.home')}</ConsoleLink>} />;
}
