import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api/types';
import { LanguageSwitch } from './LanguageSwitch';
import { SignOut } from './SignOut';

/**
 * The frame of every page: a skip link, the header (product, the app's navigation, the
 * signed-in person, the language and Sign out) and the main landmark.
 */
export function AppShell({ app, home, me, nav, children, pathname }: {
  app: string;
  home: ReactNode;
  me: Me | undefined;
  nav?: ReactNode;
  children: ReactNode;
  /** The current path: when it changes, focus moves to the main content (announced as a new page). */
  pathname: string;
}) {
  const { t } = useTranslation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <div className="brand">
            {home}
            <span className="brand-app">{app}</span>
          </div>
          {nav && (
            <nav className="app-nav" aria-label={t('app.navigation')}>
              {nav}
            </nav>
          )}
          <div className="app-tools">
            <LanguageSwitch />
            {me && (
              <>
                <span className="person">
                  <span className="person-avatar" aria-hidden="true">
                    {(me.name ?? me.sub).slice(0, 1).toUpperCase()}
                  </span>
                  <span className="person-name">{me.name ?? me.sub}</span>
                  <span className="person-role">
                    {t(`role.${me.role}`)}
                    {me.department ? ` · ${t(`department.${me.department}`)}` : ''}
                  </span>
                </span>
                {me.authenticatedBy === 'session' && <SignOut csrfToken={me.csrfToken} />}
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
