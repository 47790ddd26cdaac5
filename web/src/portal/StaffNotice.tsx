import { useLocation } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useTitle } from '../shared/hooks';

/** Staff who open the portal: their work is in the console (the same case, when there is one). */
export function StaffNotice() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  useTitle(t('portal.staffTitle'));
  const caseId = /^\/complaints\/([^/]+)$/.exec(pathname)?.[1];
  const target = caseId ? `/console/complaints/${caseId}` : '/console';
  return (
    <section className="page narrow">
      <div className="panel notice">
        <h1>{t('portal.staffTitle')}</h1>
        <p>{t('portal.staffBody')}</p>
        <a className="button" href={target}>
          {caseId ? t('portal.openCaseInConsole') : t('portal.openConsole')}
        </a>
      </div>
    </section>
  );
}
