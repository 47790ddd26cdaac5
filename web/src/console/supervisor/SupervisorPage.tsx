import { useTranslation } from 'react-i18next';
import { useTitle } from '../../shared/hooks';
import { ConsoleLink } from '../links';
import { CountTile } from './CountTile';

/** The supervisor's overview: count tiles that open the filtered queue, and the reports. */
export function SupervisorPage() {
  const { t } = useTranslation();
  useTitle(t('supervisor.title'));
  return (
    <section className="page wide">
      <div className="page-head">
        <div>
          <h1>{t('supervisor.title')}</h1>
          <p className="lead">{t('supervisor.lead')}</p>
        </div>
        <ConsoleLink to="/reports" className="button button-secondary">{t('nav.reports')}</ConsoleLink>
      </div>
      <div className="tiles">
        <CountTile label={t('views.atRisk')} tone="amber" search={{ atRisk: true }} />
        <CountTile label={t('views.breached')} tone="red" search={{ breached: true }} />
        <CountTile label={t('views.escalated')} tone="amber" search={{ escalated: true }} />
        <CountTile label={t('views.awaitingFindings')} tone="blue" search={{ awaitingFindings: true }} />
      </div>
      <p className="hint">{t('supervisor.countsHint')}</p>
    </section>
  );
}
