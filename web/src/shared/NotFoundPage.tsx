import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useTitle } from './hooks';

/** "Page not found", with the way home of the app it is shown in (each app's own typed link). */
export function NotFoundPage({ home }: { home: ReactNode }) {
  const { t } = useTranslation();
  useTitle(t('notFound.title'));
  return (
    <section className="page narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      {home}
    </section>
  );
}
