import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { WorkingCalendar } from '../domain/calendar';
import { complaintWorkflowId } from '../domain/complaint';
import { severities } from '../domain/complaint-schema';
import { durationMs } from '../domain/deadlines';
import { personalDataDueAt, type RetentionBySeverity } from '../domain/personal-data';
import { hasEnded } from '../domain/vocabulary';
import type { CaseKeyStore } from '../personal-data/case-keys';
import type { AuditLog } from '../runtime/audit-log';
import { listExecutions } from '../runtime/visibility';
import { sealedKeyId } from '../runtime/payload-codec';
import { getComplaintQuery } from '../workflows/messages';
import type { HandlerGateway } from './handlers';
import type { NotificationOutbox } from './outbox';
import type { ComplaintReadModel } from './read-model';

/** Who asked for an erasure, and why: the audit log keeps this (never the data). */
export interface ErasureRequest {
  caseId: string;
  /** `role:sub` of ops staff; `consumer` for the case's owner (their account id is personal data too); `system:retention`. */
  actor: string;
  reason: string;
  trigger: 'ops' | 'consumer' | 'retention';
}

export interface ErasureActivityDependencies {
  readModel: ComplaintReadModel;
  outbox: NotificationOutbox;
  handlers: HandlerGateway;
  caseKeys: CaseKeyStore;
  audit: AuditLog;
  temporal: Client;
  namespace: string;
  /** The policy in force: how long each severity's personal data is kept, and its calendar. */
  retention: () => { bySeverity: RetentionBySeverity; calendar: WorkingCalendar };
}

/**
 * The side effects of erasing a case's personal data (workflows/erasure.ts), each idempotent:
 * a retried or repeated erasure changes nothing more.
 */
export function createErasureActivities(deps: ErasureActivityDependencies) {
  return {
    /** Refuses a case that is unknown or still open; marks it so that it is not reopened meanwhile. */
    async beginErasure(request: ErasureRequest, at: string): Promise<void> {
      const stored = await deps.readModel.summary(request.caseId);
      if (!stored) throw ApplicationFailure.nonRetryable(`No complaint ${request.caseId}.`, 'CaseNotFound');
      if (!stored.erasedAt && !hasEnded(stored.status)) {
        // Just withdrawn or closed: its run records that a moment later. Wait for it.
        if (hasEnded((await liveStatus(deps.temporal, request.caseId)) ?? stored.status)) {
          throw ApplicationFailure.retryable(`Complaint ${request.caseId} has ended; its record is being written.`, 'CaseEndNotRecorded');
        }
        throw ApplicationFailure.nonRetryable(`Complaint ${request.caseId} is ${stored.status}: only a closed or withdrawn case is erased.`, 'CaseStillOpen');
      }
      await deps.readModel.markErasureRequested(request.caseId, at);
    },

    /** Waits (by retrying) until the case's last run has finished writing: a run that closed a case drains its writes first. */
    async awaitCaseRunEnded(caseId: string): Promise<void> {
      try {
        const run = await deps.temporal.workflow.getHandle(complaintWorkflowId(caseId)).describe();
        if (run.status.name === 'RUNNING') throw ApplicationFailure.retryable(`The last run of ${caseId} is still finishing.`, 'CaseRunStillRunning');
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },

    /** The read model's, the outbox's and the handler tasks' copies of the personal data. */
    async eraseStoredPersonalData(caseId: string, at: string): Promise<void> {
      await deps.readModel.erase(caseId, at);
      await deps.outbox.erase(caseId);
      await deps.handlers.eraseTasks(caseId);
    },

    /**
     * Destroys the case's key: its payloads in Temporal can no longer be read. A case opened
     * before case keys has none: its histories (under the service key) are deleted instead.
     */
    async destroyCaseKey(caseId: string, at: string): Promise<'case-key' | 'service-key' | 'mixed'> {
      const scheme = await deps.caseKeys.destroy(caseId, new Date(at));
      // A case whose intake could not reach the database in time wrote some payloads under the
      // service key before its key was found: those histories are deleted too.
      const mixed = scheme === 'case-key' && (await underServiceKey(deps, caseId));
      if (scheme === 'service-key' || mixed) await deleteHistories(deps, caseId);
      return mixed ? 'mixed' : scheme;
    },

    /** One audit entry per erased case, however often this runs. */
    async recordErasure(request: ErasureRequest, erasedAt: string, scheme: string): Promise<void> {
      await deps.audit.recordOnce(`erasure:${request.caseId}`, {
        at: new Date(erasedAt), actor: request.actor, action: 'erase_personal_data', target: request.caseId, reason: request.reason,
        details: { trigger: request.trigger, scheme },
      });
    },

    /**
     * The retention sweep's next batch: ended cases (by id after `after`) whose personal data
     * is due at `now` under the policy in force. `next` continues after the cases looked at.
     */
    async casesDueForErasure(now: string, after: string | undefined, limit: number): Promise<{ due: string[]; next?: string }> {
      const { bySeverity, calendar } = deps.retention();
      const at = Date.parse(now);
      const candidates = [];
      for (const severity of severities) {
        const retention = bySeverity[severity];
        // Working days are never shorter than calendar days: a lower bound for the query.
        const atLeast = typeof retention === 'string' ? durationMs(retention) : retention.businessDays * 86_400_000;
        const before = new Date(at - atLeast).toISOString();
        for (const c of await deps.readModel.endedNotErased(severity, before, after, limit)) candidates.push({ ...c, retention });
      }
      const page = candidates.sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, limit);
      const due = page.filter((c) => personalDataDueAt(c.endedAt, c.retention, calendar).getTime() <= at).map((c) => c.id);
      return { due, ...(page.length === limit ? { next: page.at(-1)!.id } : {}) };
    },
  };
}

/** The status the case's running workflow answers; undefined when no run is going. */
export async function liveStatus(temporal: Client, caseId: string): Promise<string | undefined> {
  try {
    return (await temporal.workflow.getHandle(complaintWorkflowId(caseId)).query(getComplaintQuery)).status;
  } catch {
    return undefined; // finished, unknown, or unreadable: the stored status stands
  }
}

/** Whether any run of the case holds a payload encrypted under a service key (read raw: nothing is decrypted). */
async function underServiceKey(deps: ErasureActivityDependencies, caseId: string): Promise<boolean> {
  const workflowId = complaintWorkflowId(caseId);
  const runs = await listExecutions(deps.temporal, deps.namespace, `WorkflowId = '${workflowId}'`, 100);
  for (const run of runs) {
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await deps.temporal.workflowService.getWorkflowExecutionHistory({ namespace: deps.namespace, execution: { workflowId, runId: run.runId }, nextPageToken });
      if (sealedPayloads(page.history).some((keyId) => !keyId.startsWith('case:'))) return true;
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
  }
  return false;
}

/** The key ids of every payload we encrypted anywhere in a (raw) history. */
function sealedPayloads(value: unknown, found: string[] = []): string[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as { metadata?: Record<string, Uint8Array>; data?: unknown };
  if (candidate.metadata && candidate.data instanceof Uint8Array) {
    const keyId = sealedKeyId(candidate as never);
    if (keyId !== undefined) found.push(keyId);
  }
  for (const v of Object.values(value)) sealedPayloads(v, found);
  return found;
}

async function deleteHistories(deps: ErasureActivityDependencies, caseId: string): Promise<void> {
  const workflowId = complaintWorkflowId(caseId);
  const remove = (runId?: string) => deps.temporal.workflowService
    .deleteWorkflowExecution({ namespace: deps.namespace, workflowExecution: { workflowId, ...(runId ? { runId } : {}) } })
    .then(() => true, (err: unknown) => {
      if ((err as { code?: number }).code === 5) return false; // gone already
      throw err;
    });
  // Every run visibility knows of (a reopened case has several), then the latest until none is left.
  for (const run of await listExecutions(deps.temporal, deps.namespace, `WorkflowId = '${workflowId}'`, 100)) await remove(run.runId);
  for (let i = 0; i < 100 && (await remove()); i++);
}

export type ErasureActivities = ReturnType<typeof createErasureActivities>;
