import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import type { WhatIfQuery, WhatIfReport } from '../../../api/types';
import { LoadFailed, Loading } from '../../../shared/States';
import { useConsoleNavigate } from '../../links';
import { previousQuarter, type ReportsSearch } from '../search';
import { runWhatIf, useSlaPolicy } from './fetch';
import { WhatIfAnswer } from './WhatIfAnswer';
import { WhatIfForm } from './WhatIfForm';

/**
 * "What if acknowledgement were 12 h?": the cases of a period replayed under a candidate SLA
 * policy beside what happened, before the policy is changed. Figures are the API's, as answered.
 */
export function WhatIfView({ search }: { search: ReportsSearch }) {
  const { t } = useTranslation();
  const navigate = useConsoleNavigate();
  const inForce = useSlaPolicy();
  const [report, setReport] = useState<WhatIfReport>();
  const run = useSubmission((query: WhatIfQuery) => runWhatIf(query), { onSuccess: (answer) => setReport(answer) });
  if (!inForce.data) return inForce.isError ? <LoadFailed error={inForce.error} /> : <Loading />;
  // By default the last full quarter: most of its cases' clocks have run out.
  const lastQuarter = previousQuarter();
  const period = { from: search.from ?? lastQuarter.from, to: search.to ?? lastQuarter.to };
  const onRun = (query: WhatIfQuery) => {
    setReport(undefined);
    // The period goes into the URL, as in the other views: the link reopens the same question.
    void navigate({ to: '/reports', search: { view: 'what-if', from: query.from || undefined, to: query.to || undefined }, replace: true });
    run.submit(query);
  };
  return (
    <>
      <p className="intro">{t('whatIf.lead')}</p>
      <WhatIfForm inForce={inForce.data} period={period} pending={run.pending} problem={run.problem} onRun={onRun} onInvalid={() => { setReport(undefined); run.reset(); }} />
      <div role="status" className="run-status">
        {run.pending && <p className="loading">{t('whatIf.runningStatus')}</p>}
      </div>
      {report && !run.pending && <WhatIfAnswer report={report} />}
    </>
  );
}
