import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import Long from 'long';
import { randomUUID } from 'node:crypto';
import type { ComplaintReadModel } from '../activities/read-model';
import { ReportFactsStore, reportFactsModel } from '../activities/report-facts-store';
import { complaintWorkflowId } from '../domain/complaint';
import type { Complaint } from '../domain/complaint-schema';
import { overdueStages } from '../domain/lifecycle';
import { getComplaintQuery, recordOpsActionUpdate } from '../workflows/messages';
import type { AuditLog } from '../runtime/audit-log';
import { PayloadUnreadableError } from '../runtime/payload-codec';
import { pendingActivitiesOf, type PendingActivity } from '../runtime/pending-work';
import { listExecutions } from '../runtime/visibility';
import { executeUpdateOnce } from '../runtime/workflow-updates';
import { workflowBundleOptions } from '../worker';

/**
 * What operators do with cases: find the stuck ones, retry, reset, terminate, replay. The
 * HTTP endpoints (api/ops.ts) and the CLI (scripts/ops.ts) call these same functions.
 */
export type StuckReason = 'activity_failing' | 'workflow_task_failing' | 'overdue_idle' | 'unreadable';

export interface StuckCase {
  id: string;
  workflowId: string;
  runId?: string;
  status?: string;
  reason: StuckReason;
  detail: string;
  attempts?: number;
  lastFailure?: string;
  nextAttemptAt?: string;
  suggestedAction: string;
}

export type ResetPoint = 'last-workflow-task' | 'first-workflow-task' | number;

export interface ReplayResult {
  id: string;
  workflowId: string;
  runId: string;
  /** `erased`: the case's personal data was erased, its history can no longer be decrypted (not replayed). */
  result: 'ok' | 'nondeterminism' | 'error' | 'erased';
  error?: string;
}

export class OpsError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 503,
    message: string,
  ) {
    super(message);
  }
}

export interface OpsDependencies {
  temporal: Client;
  readModel: ComplaintReadModel;
  /** The report facts; by default the `report_facts` collection beside the read model. */
  reportFacts?: ReportFactsStore;
  audit: AuditLog;
  namespace: string;
  dataConverter: DataConverter;
  workflowsPath: string;
  /** A prebuilt bundle for replay; bundled from `workflowsPath` on first use otherwise. */
  workflowBundlePath?: string;
}

// @temporalio/proto is CommonJS: its namespace comes through the default import under ESM.
const { EventType } = proto.temporal.api.enums.v1;
const WFT_COMPLETED = EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
const WFT_FAILED = EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED;
const WFT_TIMED_OUT = EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT;
const runningComplaints = "WorkflowType = 'complaintWorkflow' AND ExecutionStatus = 'Running'";
const idOf = (workflowId: string) => workflowId.replace(/^complaint-/, '');
/** How long a terminate waits for a worker to give the run's last state. */
const lastStateTimeoutMs = 5000;

export class OpsService {
  private bundle?: Promise<{ code: string }>;
  private readonly reportFacts: ReportFactsStore;

  constructor(private readonly deps: OpsDependencies) {
    this.reportFacts = deps.reportFacts ?? new ReportFactsStore(reportFactsModel(deps.readModel.connection));
  }

  /** Running complaints that are not progressing, each with why and what to do. */
  async stuck(options: { minAttempts?: number; limit?: number } = {}): Promise<StuckCase[]> {
    const minAttempts = options.minAttempts ?? 3;
    const limit = options.limit ?? 2000;
    const workflowIds = (await listExecutions(this.deps.temporal, this.deps.namespace, runningComplaints, limit)).map((e) => e.workflowId);
    const rows: StuckCase[] = [];
    const idle: string[] = [];
    await forEachConcurrently(workflowIds, 16, async (workflowId) => {
      let description: WorkflowExecutionDescription;
      try {
        description = await this.deps.temporal.workflow.getHandle(workflowId).describe();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return;
        // A case whose payloads this service cannot decrypt is stuck too: say so, and go on.
        rows.push({
          id: idOf(workflowId), workflowId, reason: 'unreadable', detail: (err as Error).message,
          suggestedAction: 'configure the payload key it names in PAYLOAD_KEYS; a workflow that is not ours (written without our keys): `ops terminate <id>`',
        });
        return;
      }
      const found = await this.problemsOf(description, minAttempts);
      rows.push(...found);
      const raw = description.raw;
      if (found.length === 0 && (raw.pendingActivities ?? []).length === 0) idle.push(workflowId);
    });
    // Overdue with nothing pending: the workflow waits on people past the deadline.
    const now = new Date();
    await forEachConcurrently(idle, 16, async (workflowId) => {
      const complaint = await this.deps.readModel.get(idOf(workflowId));
      if (!complaint) return;
      const overdue = overdueStages(complaint, now);
      if (overdue.length === 0) return;
      rows.push({
        id: complaint.id,
        workflowId,
        status: complaint.status,
        reason: 'overdue_idle',
        detail: `${overdue.join(', ')} overdue since ${overdue.map((s) => complaint.deadlines[s]).join(', ')}; nothing is running for it`,
        suggestedAction: suggestionForOverdue(complaint),
      });
    });
    return rows.sort((a, b) => a.reason.localeCompare(b.reason) || a.id.localeCompare(b.id));
  }

  /** The workflow as ops see it: status, run, pending work, problems, and the case. */
  async describe(id: string) {
    const description = await this.readableDescription(id);
    const complaint = await this.deps.readModel.get(id);
    return {
      id,
      workflowId: description.workflowId,
      runId: description.runId,
      workflowStatus: description.status.name,
      historyLength: description.historyLength,
      startTime: description.startTime.toISOString(),
      complaint: complaint ? { status: complaint.status, escalationLevel: complaint.escalationLevel, deadlines: complaint.deadlines, breaches: complaint.breaches } : null,
      pendingActivities: await this.pendingActivities(description),
      problems: await this.problemsOf(description, 1),
      audit: await this.deps.audit.list(id),
    };
  }

  /** Runs the failing activities of a case again now, with a fresh attempt count. */
  async retry(id: string, actor: string, reason = 'retry requested by ops'): Promise<{ retried: string[] }> {
    const description = await this.describe(id);
    const failing = description.pendingActivities.filter((a) => a.attempt > 1 || a.lastFailure);
    if (failing.length === 0) throw new OpsError(409, `Complaint ${id} has no failing activity to retry.`);
    for (const activity of failing) {
      await this.deps.temporal.workflowService.resetActivity({
        namespace: this.deps.namespace,
        execution: { workflowId: complaintWorkflowId(id) },
        id: activity.activityId,
        identity: actor,
      });
    }
    const retried = failing.map((a) => a.activityId);
    await this.deps.audit.record({ actor, action: 'retry', target: id, reason, details: { activities: retried } });
    return { retried };
  }

  /**
   * Resets the workflow to a workflow task; later updates and signals are applied again. The
   * read model and the report facts then refuse the abandoned run's writes and take the new
   * run's, although it counts its revisions again from the reset point (decision 011).
   */
  async reset(id: string, to: ResetPoint, reason: string, actor: string): Promise<{ runId: string; eventId: number }> {
    const workflowId = complaintWorkflowId(id);
    // An erased case's history can no longer be decrypted: a new run of it would fail every task.
    const erasure = await this.deps.readModel.erasureOf(id);
    if (erasure?.requestedAt || erasure?.erasedAt) {
      throw new OpsError(409, `The personal data of complaint ${id} ${erasure.erasedAt ? 'was erased' : 'is being erased'}: its workflow cannot be run again.`);
    }
    // The run whose history names the reset point is the one reset (and abandoned).
    // A run whose payloads this service cannot decrypt would fail every task of the new run.
    const base = (await this.readableDescription(id)).runId;
    const history = await this.history(workflowId, base);
    const eventId = resetEventId(history, to);
    const response: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse =
      await this.deps.temporal.workflowService.resetWorkflowExecution({
        namespace: this.deps.namespace,
        workflowExecution: { workflowId, runId: base },
        reason: `${reason} (by ${actor})`,
        workflowTaskFinishEventId: Long.fromNumber(eventId),
        requestId: randomUUID(),
        // Updates and signals received after the reset point are applied again.
        resetReapplyExcludeTypes: [],
      });
    const runId = response.runId ?? '';
    await this.supersede(id, base, { reopen: true });
    await this.deps.audit.record({ actor, action: 'reset', target: id, reason, details: { to, eventId, runId } });
    // The reason goes on the case's own timeline too; its snapshot is the new run's first write
    // after the reopening above, so the read model follows the new run even if the re-applied
    // changes were written (and refused) before it.
    await executeUpdateOnce(this.deps.temporal.workflow.getHandle(workflowId), recordOpsActionUpdate, [
      { action: 'reset', reason, actor, details: { eventId, runId } },
    ]).catch(() => undefined); // a reset to a point that ends the workflow takes no note
    return { runId, eventId };
  }

  /** Resets every running complaint a visibility query finds; a dry run only lists them. */
  async batchReset(query: string, to: ResetPoint, reason: string, actor: string, dryRun: boolean) {
    let ids: string[];
    try {
      ids = (await listExecutions(this.deps.temporal, this.deps.namespace, `${runningComplaints} AND (${query})`, 1000)).map((e) => idOf(e.workflowId));
    } catch (err) {
      // A real server limits visibility calls (10/s per namespace by default): busy, not a bad query.
      const code = (err as { code?: number; cause?: { code?: number } }).code ?? (err as { cause?: { code?: number } }).cause?.code;
      if (code === 8 || code === 14) throw new OpsError(503, `Temporal's visibility is busy or away; try again: ${(err as Error).message}`);
      throw new OpsError(400, `The visibility query is not valid: ${(err as Error).message}`);
    }
    if (dryRun) return { dryRun: true, matched: ids };
    const results = [];
    for (const id of ids) {
      try {
        results.push({ id, ...(await this.reset(id, to, reason, actor)) });
      } catch (err) {
        results.push({ id, error: (err as Error).message });
      }
    }
    return { dryRun: false, matched: ids, results };
  }

  /**
   * Ends the workflow, and records the case as `terminated` in the read model and the report
   * facts: no longer open for the duplicate-order check nor in the reports' open stages. The
   * terminated run's later writes (an activity in flight) are refused, so they cannot make it
   * open again; a reset of that run does (`reset`).
   */
  async terminate(id: string, reason: string, actor: string): Promise<void> {
    const handle = this.deps.temporal.workflow.getHandle(complaintWorkflowId(id));
    const last = await this.lastState(complaintWorkflowId(id));
    try {
      await handle.terminate(`${reason} (by ${actor})`);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new OpsError(404, `No running workflow for complaint ${id}.`);
      throw err;
    }
    // The run just terminated: nothing starts a newer one but a reset.
    const run = await this.runOf(complaintWorkflowId(id));
    await this.deps.audit.record({ actor, action: 'terminate', target: id, reason, details: { runId: run } });
    const event = { at: new Date().toISOString(), type: 'ops_terminated', actor, data: { reason } };
    await this.deps.readModel.markTerminated(id, run, event, last);
    await this.reportFacts.markTerminated(id, run, event.at);
  }

  /**
   * Replays histories against the current workflow code: recent complaints, or the ones named.
   * Each case is `ok`, or the non-determinism (or other error) the replay met.
   */
  async replay(options: { ids?: string[]; limit?: number } = {}): Promise<ReplayResult[]> {
    const executions: Array<{ workflowId: string; runId?: string }> = [];
    if (options.ids?.length) {
      executions.push(...options.ids.map((id) => ({ workflowId: complaintWorkflowId(id) })));
    } else {
      // Visibility lists the most recent first (ORDER BY is not supported on every store).
      executions.push(...(await listExecutions(this.deps.temporal, this.deps.namespace, "WorkflowType = 'complaintWorkflow'", options.limit ?? 20)));
    }
    const histories = [];
    const results: ReplayResult[] = [];
    for (const e of executions) {
      const erasedAt = (await this.deps.readModel.erasureOf(idOf(e.workflowId)))?.erasedAt;
      if (erasedAt) {
        results.push({
          id: idOf(e.workflowId), workflowId: e.workflowId, runId: e.runId ?? '', result: 'erased',
          error: `the case's personal data was erased at ${erasedAt}: its history can no longer be decrypted, by design`,
        });
        continue;
      }
      try {
        const handle = this.deps.temporal.workflow.getHandle(e.workflowId, e.runId);
        const runId = e.runId ?? (await this.runOf(e.workflowId));
        histories.push({ workflowId: e.workflowId, runId, history: await handle.fetchHistory() });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        results.push({ id: idOf(e.workflowId), workflowId: e.workflowId, runId: e.runId ?? '', result: 'error', error: 'no such workflow' });
      }
    }
    return [...results, ...(await replayHistories(await this.workflowBundle(), this.deps.dataConverter, histories))];
  }

  private workflowBundle(): Promise<{ code: string } | { codePath: string }> {
    if (this.deps.workflowBundlePath) return Promise.resolve({ codePath: this.deps.workflowBundlePath });
    // Bundled as the worker bundles (the same shared modules, decision 029), from `workflowsPath`.
    this.bundle ??= bundleWorkflowCode({ ...workflowBundleOptions, workflowsPath: this.deps.workflowsPath });
    return this.bundle;
  }

  private async history(workflowId: string, runId?: string) {
    try {
      return await this.deps.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    } catch (err) {
      if (isNotFound(err)) throw new OpsError(404, `No workflow ${workflowId}.`);
      throw err;
    }
  }

  /**
   * The id of the workflow's current (latest) run. Asked without decoding the run's memo, so
   * that a workflow this service cannot read can still be terminated (`stuck` suggests it).
   */
  private async runOf(workflowId: string): Promise<string> {
    try {
      const { workflowExecutionInfo } = await this.deps.temporal.workflowService.describeWorkflowExecution({
        namespace: this.deps.namespace, execution: { workflowId },
      });
      return workflowExecutionInfo?.execution?.runId ?? '';
    } catch (err) {
      if (isNotFound(err)) throw new OpsError(404, `No workflow ${workflowId}.`);
      throw err;
    }
  }

  /** The case's workflow as the client describes it (its memo decrypted): 404 unknown, 409 unreadable here. */
  private async readableDescription(id: string): Promise<WorkflowExecutionDescription> {
    try {
      return await this.deps.temporal.workflow.getHandle(complaintWorkflowId(id)).describe();
    } catch (err) {
      if (isNotFound(err)) throw new OpsError(404, `No workflow for complaint ${id}.`);
      if (err instanceof PayloadUnreadableError) {
        throw new OpsError(409, `The workflow of complaint ${id} cannot be read by this service: ${err.message}. If it is not ours, \`ops terminate ${id}\`.`);
      }
      throw err;
    }
  }

  /** Refuses `run`'s later writes to the read model and the report facts (`supersedeRun`). */
  private async supersede(id: string, run: string, options: { reopen: boolean }): Promise<void> {
    await this.deps.readModel.supersedeRun(id, run, options);
    await this.reportFacts.supersedeRun(id, run, options);
  }

  /**
   * The case as its workflow has it (changes whose write is still in flight included), or
   * undefined when no worker answers within a few seconds — ops terminate stuck cases too.
   */
  private async lastState(workflowId: string): Promise<Complaint | undefined> {
    const handle = this.deps.temporal.workflow.getHandle(workflowId);
    return this.deps.temporal.connection
      .withDeadline(Date.now() + lastStateTimeoutMs, () => handle.query(getComplaintQuery))
      .catch(() => undefined);
  }

  private pendingActivities(description: WorkflowExecutionDescription): Promise<PendingActivity[]> {
    return pendingActivitiesOf(description, this.deps.temporal.options.loadedDataConverter);
  }

  private async problemsOf(description: WorkflowExecutionDescription, minAttempts: number): Promise<StuckCase[]> {
    const base = { id: idOf(description.workflowId), workflowId: description.workflowId, runId: description.runId };
    const rows: StuckCase[] = [];
    const reported = description.searchAttributes?.TemporalReportedProblems as string[] | undefined;
    const wft = description.raw.pendingWorkflowTask;
    if ((reported && reported.length > 0) || (wft?.attempt ?? 0) > 1) {
      rows.push({
        ...base,
        reason: 'workflow_task_failing',
        detail: reported?.length ? reported.join('; ') : `workflow task attempt ${wft?.attempt}`,
        attempts: wft?.attempt ?? undefined,
        suggestedAction:
          'a bug or non-determinism in the workflow code: run `ops replay` on this case, deploy a fix (or patch), then `ops reset <id>` to the last good workflow task',
      });
    }
    for (const a of await this.pendingActivities(description)) {
      if (a.attempt < minAttempts) continue;
      rows.push({
        ...base,
        reason: 'activity_failing',
        detail: `${a.activityType} ${a.activityId} is failing`,
        attempts: a.attempt,
        lastFailure: a.lastFailure,
        nextAttemptAt: a.nextAttemptAt,
        suggestedAction: `fix what ${a.activityType} depends on (${a.lastFailure ?? 'see last failure'}), then \`ops retry <id>\``,
      });
    }
    return rows;
  }
}

/** Not found, as the client reports it or as the raw gRPC status (5) of a service call. */
const isNotFound = (err: unknown): boolean =>
  err instanceof WorkflowNotFoundError ||
  (err as { code?: number }).code === 5 ||
  (err as { cause?: { code?: number } }).cause?.code === 5;

/** Replays histories with the given bundle; one result per history. */
export async function replayHistories(
  workflowBundle: { code: string } | { codePath: string },
  dataConverter: DataConverter,
  histories: Array<{ workflowId: string; runId: string; history: temporal.api.history.v1.IHistory }>,
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const replayed = Worker.runReplayHistories({ workflowBundle, dataConverter, replayName: 'ops-replay' }, histories);
  for await (const r of replayed) {
    results.push({
      id: idOf(r.workflowId),
      workflowId: r.workflowId,
      runId: r.runId,
      result: !r.error ? 'ok' : r.error.name === 'DeterminismViolationError' ? 'nondeterminism' : 'error',
      ...(r.error ? { error: r.error.message } : {}),
    });
  }
  return results;
}

function resetEventId(history: temporal.api.history.v1.IHistory, to: ResetPoint): number {
  const events = history.events ?? [];
  const finishing = events.filter((e) => e.eventType === WFT_COMPLETED || e.eventType === WFT_FAILED || e.eventType === WFT_TIMED_OUT);
  const completed = events.filter((e) => e.eventType === WFT_COMPLETED);
  let event;
  if (to === 'last-workflow-task') event = completed.at(-1);
  else if (to === 'first-workflow-task') event = completed[0];
  else {
    event = finishing.find((e) => Number(e.eventId) === to);
    if (!event) throw new OpsError(400, `Event ${to} is not a completed, failed or timed-out workflow task of this workflow.`);
  }
  if (!event) throw new OpsError(409, 'The workflow has no completed workflow task to reset to.');
  return Number(event.eventId);
}

function suggestionForOverdue(complaint: Complaint): string {
  const waitingOn: Record<string, string> = {
    received: 'an agent to acknowledge it',
    investigating: `findings from ${complaint.departments.join(', ') || 'a department (none assigned: add one)'}`,
    planning: 'an agent to propose a plan',
    awaiting_feedback: 'the consumer to answer the plan (contact them)',
    fulfilling: 'the remedy to be confirmed (POST …/fulfilment)',
    // Only an unpaused clock (resolve, when the policy does not pause it) can be overdue here.
    awaiting_consumer: 'the consumer to answer the open question (the case resumes by itself when the reply time ends)',
  };
  return `waits for ${waitingOn[complaint.status] ?? 'someone'}; escalate or reassign`;
}

async function forEachConcurrently<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
