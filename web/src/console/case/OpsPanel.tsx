import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { livePollMs, queryKeys } from '../../api/queries';
import type { CaseDetail } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { Time } from '../../shared/Time';
import { RepairForm } from '../ops/RepairForms';

interface AuditRow { at: string; actor: string; action: string; reason: string }
interface Problem { reason?: string; detail?: string; suggestedAction?: string }

/** Ops: the case's workflow (Temporal UI link, run, problems, audit), retry and reset. */
export function OpsPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const describe = useQuery({
    queryKey: queryKeys.ops(complaint.id),
    queryFn: () => ok(api.GET('/api/v1/ops/complaints/{id}', { params: { path: { id: complaint.id } } })),
    refetchInterval: livePollMs * 5,
  });
  const d = describe.data;
  const audit = (Array.isArray(d?.audit) ? d.audit : []) as AuditRow[];
  const problems = (Array.isArray(d?.problems) ? d.problems : []) as Problem[];
  return (
    <section className="panel" aria-labelledby="ops">
      <h2 id="ops">{t('ops.workflow')}</h2>
      {complaint.workflowUrl && (
        <p>
          <a href={complaint.workflowUrl} target="_blank" rel="noopener noreferrer" className="button button-secondary">
            {t('ops.openTemporal')}
          </a>
        </p>
      )}
      {d && (
        <dl className="facts">
          <dt>{t('ops.workflowStatus')}</dt>
          <dd><Badge tone={d.workflowStatus === 'RUNNING' ? 'blue' : d.workflowStatus === 'FAILED' ? 'red' : 'grey'}>{d.workflowStatus}</Badge></dd>
          {typeof d.runId === 'string' && (<><dt>{t('ops.runId')}</dt><dd><code>{d.runId}</code></dd></>)}
          {typeof d.historyLength === 'number' && (<><dt>{t('ops.historyLength')}</dt><dd>{d.historyLength}</dd></>)}
        </dl>
      )}
      {problems.length > 0 && (
        <ul className="plain-list stack">
          {problems.map((p, i) => (
            <li key={i}>
              <Badge tone="red">{t(`stuckReason.${(p.reason ?? 'unreadable') as 'unreadable'}`, { defaultValue: p.reason })}</Badge>
              <span className="sub">{p.detail}</span>
              {p.suggestedAction && <span className="sub">{p.suggestedAction}</span>}
            </li>
          ))}
        </ul>
      )}
      <RepairForm id={complaint.id} kind="retry" />
      <RepairForm id={complaint.id} kind="reset" />
      <h3>{t('ops.audit')}</h3>
      {audit.length === 0 ? (
        <p className="muted">{t('ops.noAudit')}</p>
      ) : (
        <ul className="plain-list stack">
          {audit.map((a, i) => (
            <li key={`${a.at}-${i}`}>
              <strong>{a.action}</strong> · {a.actor}
              <span className="sub">{a.reason}</span>
              <span className="sub"><Time iso={a.at} timeZone={complaint.timeZone} /></span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
