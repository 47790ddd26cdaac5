import { useLocation } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../api/queries';
import { AppShell } from '../shared/AppShell';
import { LoadFailed, Loading } from '../shared/States';
import { PortalLink } from './links';
import { StaffNotice } from './StaffNotice';

/** The portal's frame; staff who open it are pointed to the console. */
export function PortalLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { pathname } = useLocation();
  const consumer = me.data?.role === 'consumer';
  return (
    <AppShell
      app={t('portal.app')}
      me={me.data}
      pathname={pathname}
      home={
        <PortalLink to="/" className="brand-name">
          {t('app.product')}
        </PortalLink>
      }
      nav={
        consumer && (
          <>
            <PortalLink to="/" activeOptions={{ exact: true }} activeProps={{ 'aria-current': 'page' }}>
              {t('portal.myComplaints')}
            </PortalLink>
            <PortalLink to="/new" activeProps={{ 'aria-current': 'page' }}>
              {t('portal.newComplaint')}
            </PortalLink>
          </>
        )
      }
    >
      {me.isPending ? <Loading /> : me.isError ? <LoadFailed error={me.error} /> : consumer ? children : <StaffNotice />}
    </AppShell>
  );
}
