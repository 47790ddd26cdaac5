import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { useSubmission } from '../../api/submission';
import type { ReplayResult } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { TextArea, TextField } from '../../shared/Field';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { ConsoleLink } from '../links';

/** Replays recent (or chosen) histories against the current workflow code and lists the results. */
export function ReplayPanel() {
  const { t } = useTranslation();
  const [ids, setIds] = useState('');
  const [limit, setLimit] = useState('');
  const [results, setResults] = useState<ReplayResult[]>();
  const replay = useSubmission(
    (body: { ids?: string[]; limit?: number }) => ok(api.POST('/api/v1/ops/replay', { body })),
    { onSuccess: (r) => setResults(r.results) },
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const list = ids.split(/[\s,]+/).filter(Boolean);
    replay.submit({ ...(list.length ? { ids: list } : {}), ...(limit.trim() ? { limit: Number(limit) } : {}) });
  };
  return (
    <section className="panel" aria-labelledby="replay">
      <h2 id="replay">{t('ops.replay')}</h2>
      <p className="hint">{t('ops.replayHint')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={replay.problem} isPlaced={(p) => p === 'limit' || p.startsWith('ids')} />
        <div className="grid-2">
          <TextArea label={t('ops.replayIds')} rows={2} value={ids} onChange={(e) => setIds(e.target.value)} error={replay.fieldErrors.ids} hint={t('ops.replayIdsHint')} />
          <TextField label={t('ops.replayLimit')} inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} error={replay.fieldErrors.limit} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={replay.pending}>
            {replay.pending ? t('ops.replaying') : t('ops.replayRun')}
          </button>
        </div>
      </form>
      {results && (
        <div className="table-wrap">
          <table className="table table-compact">
            <caption>{t('ops.replayResults', { n: results.length, failed: results.filter((r) => r.result === 'nondeterminism' || r.result === 'error').length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.case')}</th>
                <th scope="col">{t('ops.result')}</th>
                <th scope="col">{t('ops.error')}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={`${r.workflowId}-${r.runId}`}>
                  <th scope="row"><ConsoleLink to="/complaints/$id" params={{ id: r.id }}>{r.id}</ConsoleLink></th>
                  <td><Badge tone={r.result === 'ok' ? 'green' : r.result === 'nondeterminism' ? 'red' : r.result === 'erased' ? 'grey' : 'amber'}>{t(`replayResult.${r.result}`)}</Badge></td>
                  <td className="mono-wrap">{r.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
