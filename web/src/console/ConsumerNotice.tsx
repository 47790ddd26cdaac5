import { useTranslation } from 'react-i18next';
import { useTitle } from '../shared/hooks';

/** A consumer who opens the console: this is for staff; their complaints are in the portal. */
export function ConsumerNotice() {
  const { t } = useTranslation();
  useTitle(t('console.consumerTitle'));
  return (
    <section className="page narrow">
      <div className="panel notice">
        <h1>{t('console.consumerTitle')}</h1>
        <p>{t('console.consumerBody')}</p>
        <a className="button" href="/">
          {t('console.toPortal')}
        </a>
      </div>
    </section>
  );
}
