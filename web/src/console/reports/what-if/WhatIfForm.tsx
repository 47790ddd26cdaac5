import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../../../api/client';
import type { SlaPolicyInForce, WhatIfQuery } from '../../../api/types';
import { TextField } from '../../../shared/Field';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { PolicyField } from './PolicyField';
import { isPolicyPath, policyText, readPolicyText } from './policy-text';

/**
 * The question of a what-if: a period and a candidate policy, starting as the policy in force.
 * Text that is not JSON is refused here and nothing is sent; the API judges the rest.
 */
export function WhatIfForm({ inForce, period, pending, problem, onRun, onInvalid }: {
  inForce: SlaPolicyInForce;
  period: { from: string; to: string };
  pending: boolean;
  problem: ApiProblem | undefined;
  onRun: (query: WhatIfQuery) => void;
  onInvalid: () => void;
}) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [text, setText] = useState(() => policyText(inForce.policy));
  const [jsonError, setJsonError] = useState<string>();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const policyErrors = (problem?.problem.errors ?? []).filter((e) => isPolicyPath(e.path));
  const fieldErrors = problem?.fieldErrors() ?? {};
  // A refused policy: the focus goes to it, so its errors are read out and it can be fixed at once.
  const refused = Boolean(jsonError) || policyErrors.length > 0;
  useEffect(() => {
    if (refused) textarea.current?.focus();
  }, [refused, jsonError, problem]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const read = readPolicyText(text);
    if ('invalid' in read) {
      setJsonError(read.invalid === 'syntax' ? t('whatIf.notJson', { detail: read.detail }) : t('whatIf.notObject'));
      onInvalid();
      return;
    }
    setJsonError(undefined);
    onRun({ policy: read.policy, from, to });
  };
  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="what-if-question">
      <h2 id="what-if-question">{t('whatIf.question')}</h2>
      <ProblemAlert problem={problem} isPlaced={(p) => p === 'from' || p === 'to' || isPolicyPath(p)} />
      <div className="period-fields">
        <TextField label={t('reports.from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} error={fieldErrors.from} />
        <TextField label={t('reports.to')} type="date" value={to} onChange={(e) => setTo(e.target.value)} error={fieldErrors.to} hint={t('reports.toHint')} />
      </div>
      <PolicyField value={text} onChange={setText} version={inForce.version} jsonError={jsonError} errors={policyErrors} textareaRef={textarea} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending} aria-describedby="what-if-duration">
          {pending ? t('whatIf.running') : t('whatIf.run')}
        </button>
        <button type="button" className="button button-secondary" disabled={pending} onClick={() => { setText(policyText(inForce.policy)); setJsonError(undefined); }}>
          {t('whatIf.reset')}
        </button>
        <span className="hint" id="what-if-duration">{t('whatIf.duration')}</span>
      </div>
    </form>
  );
}
