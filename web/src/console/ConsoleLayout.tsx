import { useLocation } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../api/queries';
import { AppShell } from '../shared/AppShell';
import { LoadFailed, Loading } from '../shared/States';
import { ConsumerNotice } from './ConsumerNotice';
import { ConsoleLink } from './links';
import { pagesFor } from './roles';

/** The console's frame: navigation by role; a consumer gets a page pointing to the portal. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { pathname } = useLocation();
  const role = me.data?.role;
  const pages = role && role !== 'consumer' ? pagesFor[role] : [];
  const active = { activeProps: { 'aria-current': 'page' as const } };
  return (
    <AppShell
      app={t('console.app')}
      me={me.data}
      pathname={pathname}
      home={
        <ConsoleLink to="/" className="brand-name">
          {t('app.product')}
        </ConsoleLink>
      }
      nav={
        pages.length > 0 && (
          <>
            {pages.includes('inbox') && <ConsoleLink to="/inbox" {...active}>{t('nav.inbox')}</ConsoleLink>}
            {pages.includes('queue') && <ConsoleLink to="/queue" {...active}>{t('nav.queue')}</ConsoleLink>}
            {pages.includes('supervisor') && <ConsoleLink to="/supervisor" {...active}>{t('nav.supervisor')}</ConsoleLink>}
            {pages.includes('reports') && <ConsoleLink to="/reports" {...active}>{t('nav.reports')}</ConsoleLink>}
            {pages.includes('ops') && <ConsoleLink to="/ops" {...active}>{t('nav.ops')}</ConsoleLink>}
          </>
        )
      }
    >
      {!me.data ? (me.isError ? <LoadFailed error={me.error} /> : <Loading />) : role === 'consumer' ? <ConsumerNotice /> : children}
    </AppShell>
  );
}
