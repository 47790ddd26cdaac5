import { useTranslation } from 'react-i18next';
import type { WhatIfReport } from '../../../api/types';
import { formatNumber, formatSigned } from '../../../shared/format';
import { useLanguage } from '../../../shared/Time';

/** Green when the candidate has fewer, red when more: the colour repeats the arrow's numbers. */
const tone = (now: number, candidate: number) => (candidate < now ? ' tile-green' : candidate > now ? ' tile-red' : '');

/** The answer in four numbers: cases compared, missed deadlines and escalated cases now → candidate, outcomes that change. */
export function WhatIfHeadline({ report }: { report: WhatIfReport }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const n = (v: number) => formatNumber(v, lang);
  const { now: missedNow, candidate: missedCandidate } = report.breaches;
  const { escalations } = report;
  return (
    <div className="tiles">
      <div className="tile tile-static tile-blue">
        <span className="tile-count">{n(report.cases)}</span>
        <span className="tile-label">{t('whatIf.casesCompared')}</span>
      </div>
      <div className={`tile tile-static${tone(missedNow, missedCandidate)}`}>
        <span className="tile-count">{n(missedNow)} → {n(missedCandidate)}</span>
        <span className="tile-label">{t('whatIf.missedDeadlines')}</span>
      </div>
      <div className={`tile tile-static${tone(escalations.now, escalations.candidate)}`}>
        <span className="tile-count">{n(escalations.now)} → {n(escalations.candidate)}</span>
        <span className="tile-label">{t('whatIf.escalatedCases', { change: formatSigned(escalations.change, lang) })}</span>
      </div>
      <div className="tile tile-static">
        <span className="tile-count">{n(report.flips.total)}</span>
        <span className="tile-label">{t('whatIf.flipsCount')}</span>
      </div>
    </div>
  );
}
