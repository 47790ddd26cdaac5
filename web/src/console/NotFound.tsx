import { useTranslation } from 'react-i18next';
import { useTitle } from '../shared/hooks';
import { ConsoleLink } from './links';

export function NotFound() {
  const { t } = useTranslation();
  useTitle(t('notFound.title'));
  return (
    <section className="page narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <ConsoleLink to="/" className="button">
        {t('nav.home')}
      </ConsoleLink>
    </section>
  );
}
