import { useTranslation } from 'react-i18next';
import type { WhatIfReport } from '../../../api/types';
import { formatNumber } from '../../../shared/format';
import { useLanguage } from '../../../shared/Time';
import { ConsoleLink } from '../../links';

/**
 * The identity run: each case replayed under its own policy must give the breaches it recorded;
 * where it does not, the comparison above is not to be trusted for those cases.
 */
export function WhatIfSelfCheck({ selfCheck }: { selfCheck: WhatIfReport['selfCheck'] }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const stageList = (list: string[]) =>
    list.length ? list.map((s) => t(`stage.${s as 'plan'}`, { defaultValue: s })).join(t('common.listSeparator')) : t('common.none');
  const { unknownPolicy } = selfCheck;
  const unlisted = selfCheck.disagreeing - selfCheck.disagreements.length;
  return (
    <section className="panel" aria-labelledby="what-if-self-check">
      <h2 id="what-if-self-check">{t('whatIf.selfCheck')}</h2>
      <p className="hint">{t('whatIf.selfCheckHint')}</p>
      {selfCheck.agreeing + selfCheck.disagreeing === 0 ? null : selfCheck.disagreeing === 0 ? (
        <div className="alert alert-ok">
          <p className="alert-title">{t('whatIf.allAgree', { count: selfCheck.agreeing, n: formatNumber(selfCheck.agreeing, lang) })}</p>
        </div>
      ) : (
        <div className="alert alert-error">
          <p className="alert-title">
            {t('whatIf.disagree', { count: selfCheck.disagreeing, n: formatNumber(selfCheck.disagreeing, lang), agreeing: formatNumber(selfCheck.agreeing, lang) })}
          </p>
          <ul>
            {selfCheck.disagreements.map((d) => (
              <li key={d.id}>
                <ConsoleLink to="/complaints/$id" params={{ id: d.id }} className="mono-wrap">{d.id}</ConsoleLink>
                {': '}{t('whatIf.recordedReplayed', { recorded: stageList(d.recorded), replayed: stageList(d.replayed) })}
              </li>
            ))}
          </ul>
          {unlisted > 0 && <p>{t('whatIf.moreDisagreements', { n: formatNumber(unlisted, lang) })}</p>}
        </div>
      )}
      {unknownPolicy.cases > 0 && (
        <div className="alert alert-warn">
          <p>{t('whatIf.unknownPolicy', { count: unknownPolicy.cases, n: formatNumber(unknownPolicy.cases, lang), versions: unknownPolicy.versions.join(t('common.listSeparator')) })}</p>
        </div>
      )}
    </section>
  );
}
