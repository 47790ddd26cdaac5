import { useTranslation } from 'react-i18next';
import { useTitle } from '../../shared/hooks';
import { ReplayPanel } from './ReplayPanel';
import { StuckCases } from './StuckCases';

/** Ops: stuck cases with why and what to do, retry and reset, and history replays. */
export function OpsPage() {
  const { t } = useTranslation();
  useTitle(t('ops.title'));
  return (
    <section className="page wide">
      <div className="page-head">
        <div>
          <h1>{t('ops.title')}</h1>
          <p className="lead">{t('ops.lead')}</p>
        </div>
      </div>
      <StuckCases />
      <ReplayPanel />
    </section>
  );
}
