import {
  allHandlersFinished, ApplicationFailure, CancellationScope, condition, continueAsNew, currentUpdateInfo, isCancellation,
  patched, proxyActivities, proxyLocalActivities, setHandler, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { ComplaintActivities, RecordOutcome } from '../activities';
import type { Audience } from '../activities/outbox';
import { caseLimits } from '../domain/case-limits';
import { revisionAbove } from '../domain/case-state';
import type { ComplaintWorkflowInput } from '../domain/complaint';
import type { ActionType } from '../domain/complaint-schema';
import {
  applyAction, applyHandlerAnswer, applyTimer, handlerMessage, isFinal, openCase, pendingRequests, pendingTimers,
  recordOpsAction, rejectAction, type Action, type CaseState, type Notice, type Rejection,
} from '../domain/lifecycle';
import {
  actionUpdates, getComplaintQuery, recordOpsActionUpdate, rejectionFailureType, type ActionArgs, type OpsNote,
} from './messages';
import { reopenCase, type ReopenInput } from '../domain/reopen';
import { searchAttributesOf } from './search-attributes';
import { timelineEnd, timelineOverflows, trimTimeline } from '../domain/timeline-window';

// A database or handler may be away for a while: keep retrying, never drop a write.
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' } as const;
const { recordChange, saveComplaint, sendNotices } = proxyActivities<ComplaintActivities>({ startToCloseTimeout: '30s', retry });
/**
 * A new case's first record runs inside its first workflow task (decision 009), and so does
 * every change no update waits for (decision 017): one task fewer per change. One try of at
 * most 2 s, as the task holds a worker slot meanwhile; if it fails, the record is an ordinary
 * activity, retried by the server and visible to `ops stuck`.
 */
const { recordChange: recordChangeLocally } = proxyLocalActivities<ComplaintActivities>({
  startToCloseTimeout: '2s',
  retry: { maximumAttempts: 1 },
});
/** A handler call heartbeats; a worker that dies mid-call is noticed in 15 s and the call retried. */
const handlerCall = (key: string) =>
  proxyActivities<ComplaintActivities>({ startToCloseTimeout: '5m', heartbeatTimeout: '15s', retry, activityId: key }).callHandler;

/**
 * Snapshot and notices in one `recordChange` activity (2026-11). Histories of the code
 * before it (test/fixtures/histories/v1-*) replay down the old path: saveComplaint, then sendNotices.
 */
const oneEffectActivity = 'one-effect-activity';
/**
 * The intake's record as a local activity (2026-11). Histories before it
 * (test/fixtures/histories/v2-*) replay with the intake's record as an activity task.
 */
const localIntakeRecord = 'local-intake-record';
/** A handler call whose request was settled by hand (findings, fulfilment) is cancelled (2026-12). */
const cancelSettledCalls = 'cancel-calls-settled-by-hand';
/** Accepted actions' update ids are remembered across runs, so a keyed retry gets the first answer (2026-12). */
const rememberActions = 'remember-actions-across-runs';
/** A long timeline keeps its older entries in the read model only (2026-12, domain/timeline-window.ts). */
const timelineWindow = 'timeline-window';
/**
 * A change no update's answer waits for (a deadline, a handler's answer) is recorded inside
 * its own workflow task, as the intake's is (2026-12, decision 017): one task and one activity
 * fewer per breach. Histories before it (test/fixtures/histories/v4-*) record it as an activity.
 */
const recordInOwnTask = 'record-in-own-task';
/**
 * The timer of the next deadline outlives the changes that leave that deadline where it was
 * (2026-12): before it, every change cancelled it and started an identical one. Histories
 * before it: test/fixtures/histories/v5-*.
 */
const keepDeadlineTimer = 'keep-deadline-timer';
/**
 * A closed case reopened (2026-12, domain/reopen.ts): a new run under the same workflow id
 * starts from the case as it closed. Only such runs take this branch.
 */
const reopenRun = 'reopen-run';
/**
 * Deadlines that passed before an action are applied before it (2026-12): an update can reach
 * the workflow in the same task as the timer of a deadline it came after (or before a late
 * timer fires), and a withdrawal or escalation past a missed deadline lost that breach. Found
 * by the what-if's self-check (issue 23).
 */
const dueTimersFirst = 'due-timers-before-actions';
/**
 * A request to a handler that takes it in one quick write of its own (manual mode: a task for
 * staff) is handed over by the record of the change that made it, not by an activity of its
 * own (2026-12): one activity task and one workflow task fewer per department asked. A request
 * the record did not take (an http handler) then goes to its own lane, once the change is
 * stored. Histories before it: test/fixtures/histories/v6-*.
 */
const requestsInRecord = 'requests-in-record';

/**
 * One marker for every patch before it in a run that starts with this code (2026-12, decision 025).
 * The SDK records a marker and upserts the `TemporalChangeVersion` search attribute the first
 * time a run checks each patch: a visibility write per patch per run, seven of them over a new
 * case's intake and first action. A run that has this marker takes every patch above without
 * checking it; a history without it (all fixtures recorded before it) checks each one as
 * before. A patch added after this one is checked on its own.
 */
const patchesOf202612 = 'patches-of-2026-12';
/** Whether the run takes the patch `id`: through the one marker of them all, or its own. */
const takes = (id: string) => patched(patchesOf202612) || patched(id);

/**
 * A manual handler's acceptance is written by the record that hands it the request, in the
 * snapshot it writes, at a time the workflow gives (2026-12, decision 026): no second record
 * (and no local activity marker) per department asked. Histories before it: v8-*. Checked on
 * its own: the marker above stands for the patches before it only.
 */
const acceptedInRecord = 'accepted-in-record';

/** The durable timer of the next deadline: kept while it still points at it, replaced when it moves. */
class DeadlineTimer {
  private at: string | undefined;
  private scope: CancellationScope | undefined;
  fired = false;

  /** Aims the timer at `at` (due in `wait` ms), or at nothing; a timer aimed at the same instant is kept. */
  aimAt(at: string | undefined, wait: number | undefined): void {
    if (at === this.at && (at === undefined || !this.fired)) return;
    if (!this.fired) this.scope?.cancel();
    this.scope = undefined;
    this.at = at;
    this.fired = false;
    if (at === undefined || wait === undefined) return;
    const scope = new CancellationScope();
    this.scope = scope;
    scope
      .run(() => sleep(wait))
      .then(
        () => {
          if (this.scope === scope) this.fired = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }
}

/** What a run hands the next one at continue-as-new. */
export interface ResumeState {
  /** The case as it stood, absolute deadlines included. */
  state: CaseState;
  /** Notices not yet handed to the outbox, and the last revision the read model has. */
  outbox: Notice[];
  savedRevision: number;
  /** Update ids of the latest accepted actions (runs since 2026-12). */
  rememberedActions?: string[];
  /** Timeline position the read model's last snapshot reached (runs since 2026-12). */
  storedThrough?: number;
}

export interface ComplaintWorkflowArgs extends ComplaintWorkflowInput {
  resume?: ResumeState;
  /** A reopened case: its closed state, who reopened it and why (the run's `policy` is the one in force now). */
  reopen?: ReopenInput;
  /** Continue as new at this history length even before the server suggests it (tests). */
  continueAsNewAtHistoryLength?: number;
}

/**
 * One complaint, from intake to closure. Orchestration only: the rules are the pure
 * functions of domain/lifecycle.ts; durable timers enforce their deadlines; activities
 * write the read model and send the notices.
 */
export async function complaintWorkflow(args: ComplaintWorkflowArgs): Promise<void> {
  const now = () => new Date().toISOString();
  let state: CaseState;
  const outbox: Notice[] = [];
  let savedRevision = 0;
  const rememberedActions: string[] = [];
  let storedThrough = 0;
  if (args.resume) {
    state = args.resume.state;
    outbox.push(...args.resume.outbox);
    savedRevision = args.resume.savedRevision;
    rememberedActions.push(...(args.resume.rememberedActions ?? []));
    storedThrough = args.resume.storedThrough ?? 0;
  } else if (args.reopen && takes(reopenRun)) {
    // The workflow's own time marks the round: findings after it, by the same clock, are this round's.
    const reopened = reopenCase({ ...args.reopen, at: now() }, args.policy);
    state = reopened.state;
    outbox.push(...reopened.notices);
    // The read model holds the whole timeline of the earlier runs already.
    storedThrough = args.reopen.complaint.timeline.length;
  } else {
    const opened = openCase(args);
    state = opened.state;
    outbox.push(...opened.notices);
  }
  let indexed = '';
  let handingOver = false;
  // The task in which an update was last applied: its answer goes out when that task completes.
  let answeredInTask = -1;
  const answerWaitsOnThisTask = () => answeredInTask === workflowInfo().historyLength;

  // Handler requests run in lanes of their own: a department that is down must not hold up
  // the read model or the notices. Each request is keyed; a retried or re-sent one is the same.
  // Each call runs in a scope of its own, so that a request settled by hand cancels its call.
  const requestsInFlight = new Map<string, CancellationScope>();
  // Requests the next record hands over (requestsInRecord): it is coming, as the change that made them is not stored yet.
  const awaitingRecord = new Set<string>();
  const startCall = (key: string) => {
    if (handingOver || requestsInFlight.has(key)) return;
    const scope = new CancellationScope();
    requestsInFlight.set(key, scope);
    // Out of the in-flight set before its answer is applied: only calls still running are cancelled.
    scope
      .run(() => handlerCall(key)(handlerMessage(state, key)))
      .then(
        (answer) => {
          requestsInFlight.delete(key);
          changed(applyHandlerAnswer(state, key, answer, now()));
        },
        (err: unknown) => {
          requestsInFlight.delete(key);
          changed(applyHandlerAnswer(state, key, { outcome: 'failed', reason: failureReason(err) }, now()));
        },
      );
  };
  const sendRequests = () => {
    for (const request of pendingRequests(state)) {
      if (requestsInFlight.has(request.key) || awaitingRecord.has(request.key) || handingOver) continue;
      if (savedRevision < state.complaint.revision && takes(requestsInRecord)) awaitingRecord.add(request.key);
      else startCall(request.key);
    }
  };
  /** Requests waiting for a record, taken by this one: still pending ones only. */
  const takeAwaitingRecord = (): string[] => {
    const keys = pendingRequests(state).filter((r) => awaitingRecord.has(r.key) && !requestsInFlight.has(r.key)).map((r) => r.key);
    awaitingRecord.clear();
    return keys;
  };
  // A call still running for a request that is settled (done by hand) would only repeat work.
  const cancelSettledRequests = () => {
    for (const [key, scope] of requestsInFlight) {
      const request = state.complaint.requests.find((r) => r.key === key);
      if (request && (request.status === 'done' || request.status === 'failed') && takes(cancelSettledCalls)) scope.cancel();
    }
  };

  const changed = (notices: Notice[]) => {
    outbox.push(...notices);
    cancelSettledRequests();
    sendRequests();
    const attributes = searchAttributesOf(state.complaint);
    const key = JSON.stringify(attributes.map((a) => a.value));
    if (key !== indexed) {
      upsertSearchAttributes(attributes);
      indexed = key;
    }
  };
  changed([]);

  /** Every timer whose instant has passed, applied now, in order. */
  const applyDueTimers = () => {
    for (let due = pendingTimers(state)[0]; due && Date.parse(due.at) <= Date.now() && !isFinal(state); due = pendingTimers(state)[0]) {
      changed(applyTimer(state, due, now()));
    }
  };

  setHandler(getComplaintQuery, () => state.complaint);
  for (const type of Object.keys(actionUpdates) as ActionType[]) {
    setHandler(
      actionUpdates[type],
      ({ actor, input }: ActionArgs) => {
        const updateId = currentUpdateInfo()?.id;
        // A retry (same Idempotency-Key) of an action an earlier run applied: the case as it stands.
        if (updateId && rememberedActions.includes(updateId)) return state.complaint;
        answeredInTask = workflowInfo().historyLength;
        if (takes(dueTimersFirst)) {
          applyDueTimers();
          // What came due may have moved the case on (a window closed): judge the action again.
          const rejection = rejectAction(state, { type, input } as Action, actor);
          if (rejection) throw rejectionFailure(rejection, state);
        }
        changed(applyAction(state, { type, input } as Action, actor, now()));
        if (updateId && takes(rememberActions)) {
          rememberedActions.push(updateId);
          rememberedActions.splice(0, rememberedActions.length - caseLimits.rememberedActions);
        }
        return state.complaint;
      },
      {
        validator: ({ actor, input }: ActionArgs) => {
          const rejection = rejectAction(state, { type, input } as Action, actor);
          const retried = rememberedActions.includes(currentUpdateInfo()?.id ?? '');
          if (rejection && !(retried && rejection.kind === 'invalid_state')) throw rejectionFailure(rejection, state);
        },
      },
    );
  }

  setHandler(recordOpsActionUpdate, (note: OpsNote) => {
    answeredInTask = workflowInfo().historyLength;
    recordOpsAction(state, note, now());
    changed([]);
    return state.complaint;
  });

  // Side effects in order, one at a time: the newest snapshot first, then the notices.
  // Each is idempotent, so a run that continues as new hands what is left to the next.
  const drained = () => outbox.length === 0 && savedRevision >= state.complaint.revision;
  let effectInFlight = false;
  void (async () => {
    for (;;) {
      await condition(() => !drained() && !handingOver);
      effectInFlight = true;
      const revision = state.complaint.revision;
      const handedOver = takeAwaitingRecord();
      let recorded: RecordOutcome | undefined;
      const acceptedAt = handedOver.length > 0 && savedRevision < revision && patched(acceptedInRecord) ? now() : undefined;
      if (takes(oneEffectActivity)) {
        // Snapshot and notices of a change in one activity: fewer tasks per breach and action.
        const batch = outbox.slice();
        const reaches = timelineEnd(state.complaint);
        const change = {
          complaintId: state.complaint.id,
          ...(savedRevision < revision ? { complaint: state.complaint, calendar: state.policy.calendar } : {}),
          notices: batch,
          audience: audienceOf(state),
          ...(handedOver.length > 0 ? { requests: handedOver.map((key) => handlerMessage(state, key)) } : {}),
          ...(acceptedAt ? { acceptedAt } : {}),
        };
        const firstRecord = !args.resume && savedRevision === 0;
        if ((firstRecord && takes(localIntakeRecord)) || (!firstRecord && !answerWaitsOnThisTask() && takes(recordInOwnTask))) {
          // Any failure but a cancellation: on replay the same failure did not arrive as an
          // ActivityFailure (seen in the outage fault test), so the branch must not depend on it.
          recorded = await recordChangeLocally(change).catch((err: unknown) => {
            if (isCancellation(err)) throw err;
            return recordChange(change);
          });
        } else {
          recorded = await recordChange(change);
        }
        if (change.complaint) storedThrough = Math.max(storedThrough, reaches);
        savedRevision = Math.max(savedRevision, revision);
        outbox.splice(0, batch.length);
        if (timelineOverflows(state.complaint) && takes(timelineWindow)) trimTimeline(state.complaint, storedThrough);
      } else if (savedRevision < revision) {
        await saveComplaint(state.complaint, state.policy.calendar);
        savedRevision = Math.max(savedRevision, revision);
      } else {
        const batch = outbox.slice();
        await sendNotices(state.complaint.id, batch, audienceOf(state));
        outbox.splice(0, batch.length);
      }
      effectInFlight = false;
      // The requests the record did not take go to their own lane first (so that the changes
      // below do not queue them for the next record), then its answers are applied.
      const answerOf = (key: string) => recorded?.answers?.[`${state.complaint.id}:${key}`];
      const acceptedInSnapshot = recorded?.acceptedInSnapshot === true;
      for (const key of handedOver) {
        if (!answerOf(key) && pendingRequests(state).some((r) => r.key === key)) startCall(key);
      }
      // The read model has these acceptances already when nothing else changed the case meanwhile.
      const snapshotIsState = acceptedInSnapshot && state.complaint.revision === revision;
      for (const key of handedOver) {
        const answer = answerOf(key);
        if (answer) changed(applyHandlerAnswer(state, key, answer, snapshotIsState ? acceptedAt! : now()));
      }
      if (snapshotIsState) {
        savedRevision = Math.max(savedRevision, state.complaint.revision);
        storedThrough = Math.max(storedThrough, timelineEnd(state.complaint));
      } else if (acceptedInSnapshot) {
        // The case moved on while the record ran: its next snapshot must pass the one written ahead.
        revisionAbove(state.complaint, recorded?.revision ?? 0);
      }
    }
  })();

  const shouldContinueAsNew = () => {
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      (args.continueAsNewAtHistoryLength !== undefined && info.historyLength >= args.continueAsNewAtHistoryLength)
    );
  };

  const deadlineTimer = new DeadlineTimer();
  while (!isFinal(state) && !shouldContinueAsNew()) {
    const seen = state.complaint.revision;
    const next = pendingTimers(state)[0];
    const wait = next ? Date.parse(next.at) - Date.now() : undefined;
    if (wait === undefined || wait > 0) {
      if (takes(keepDeadlineTimer)) {
        // One timer per deadline, not one per change: a change that leaves the next deadline
        // where it was (most actions, every record) starts and cancels no timer.
        deadlineTimer.aimAt(next?.at, wait);
        await condition(() => state.complaint.revision !== seen || shouldContinueAsNew() || deadlineTimer.fired);
        if (state.complaint.revision !== seen || shouldContinueAsNew() || !next) continue;
        deadlineTimer.aimAt(undefined, undefined);
      } else {
        const woken = await condition(() => state.complaint.revision !== seen || shouldContinueAsNew(), wait);
        if (woken || !next) continue;
      }
    }
    changed(applyTimer(state, next!, now()));
  }
  deadlineTimer.aimAt(undefined, undefined);

  if (isFinal(state)) {
    // Nothing is lost: every write and notice is done and no update is half-handled.
    await condition(() => drained() && allHandlersFinished());
    return;
  }
  // Hand over between two side effects; updates arriving meanwhile go to the next run.
  handingOver = true;
  await condition(() => !effectInFlight && allHandlersFinished());
  // The case as it closed (a reopen's input) is in `state` now: the next run need not carry it twice.
  const { reopen: _closedCase, ...input } = args;
  await continueAsNew<typeof complaintWorkflow>({ ...input, resume: { state, outbox, savedRevision, rememberedActions, storedThrough } });
}

/** How the consumer is reached: the app for app complaints, else SMS if there is a phone, else e-mail. */
function audienceOf(state: CaseState): Audience {
  const c = state.complaint;
  return { locale: c.locale, consumerChannel: c.channel === 'app' ? 'app' : c.contact.phone ? 'sms' : 'email' };
}

function failureReason(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return (cause?.message ?? (err as Error).message ?? String(err)).slice(0, 500);
}

/** A refused action, as the API maps it: 409 with the state, 404, 403. */
function rejectionFailure(rejection: Rejection, state: CaseState): ApplicationFailure {
  return ApplicationFailure.create({
    type: rejectionFailureType[rejection.kind],
    message: rejection.message,
    details: [{ status: state.complaint.status }],
    nonRetryable: true,
  });
}
