import { useTranslation } from 'react-i18next';
import type { WhatIfReport } from '../../../api/types';
import { formatDate } from '../../../shared/format';
import { Empty } from '../../../shared/States';
import { useLanguage } from '../../../shared/Time';
import { WhatIfFlips } from './WhatIfFlips';
import { WhatIfHeadline } from './WhatIfHeadline';
import { WhatIfSelfCheck } from './WhatIfSelfCheck';
import { WhatIfStages } from './WhatIfStages';

/** The API's answer to a what-if: the headline, stage by stage, the cases that flip, and the self-check. */
export function WhatIfAnswer({ report }: { report: WhatIfReport }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  // The period's bounds are instants; dates typed in the form are midnight UTC, so read in UTC.
  const period = t('whatIf.answerPeriod', { from: formatDate(report.from, 'UTC', lang), to: formatDate(report.to, 'UTC', lang) });
  const compared = report.cases > 0;
  return (
    <section className="what-if-answer" aria-labelledby="what-if-answer">
      <h2 id="what-if-answer" className="section-title">{t('whatIf.answer')}</h2>
      <p className="muted">{period}</p>
      {compared ? (
        <>
          <WhatIfHeadline report={report} />
          <WhatIfStages stages={report.stages} />
          <WhatIfFlips flips={report.flips} />
        </>
      ) : (
        <Empty>{t('whatIf.noCases')}</Empty>
      )}
      {(compared || report.selfCheck.unknownPolicy.cases > 0) && <WhatIfSelfCheck selfCheck={report.selfCheck} />}
    </section>
  );
}
