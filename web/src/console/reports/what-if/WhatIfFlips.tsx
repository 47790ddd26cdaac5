import { useTranslation } from 'react-i18next';
import type { WhatIfReport } from '../../../api/types';
import { Badge } from '../../../shared/Badge';
import { formatNumber } from '../../../shared/format';
import { useLanguage } from '../../../shared/Time';
import { ConsoleLink } from '../../links';

type Outcome = WhatIfReport['flips']['items'][number]['now'];

/** The stage deadlines whose outcome the candidate changes (the API lists the first 1,000). */
export function WhatIfFlips({ flips }: { flips: WhatIfReport['flips'] }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const outcome = (o: Outcome) => <Badge tone={o === 'met' ? 'green' : 'red'}>{t(`clockState.${o}`)}</Badge>;
  const unlisted = flips.total - flips.items.length;
  return (
    <section className="panel" aria-labelledby="what-if-flips">
      <h2 id="what-if-flips">{t('whatIf.flips', { n: formatNumber(flips.total, lang) })}</h2>
      {flips.items.length === 0 ? (
        <p className="muted">{t('whatIf.noFlips')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <caption className="sr-only">{t('whatIf.flipsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.case')}</th>
                <th scope="col">{t('clocks.stage')}</th>
                <th scope="col">{t('whatIf.now')}</th>
                <th scope="col">{t('whatIf.candidate')}</th>
              </tr>
            </thead>
            <tbody>
              {flips.items.map((f, i) => (
                <tr key={`${i}-${f.id}-${f.stage}`}>
                  <th scope="row" className="mono-wrap"><ConsoleLink to="/complaints/$id" params={{ id: f.id }}>{f.id}</ConsoleLink></th>
                  <td>{t(`stage.${f.stage}`)}</td>
                  <td>{outcome(f.now)}</td>
                  <td><span aria-hidden="true">→ </span>{outcome(f.candidate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {unlisted > 0 && <p className="hint">{t('whatIf.moreFlips', { n: formatNumber(unlisted, lang) })}</p>}
    </section>
  );
}
