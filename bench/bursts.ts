// Breach bursts: many deadlines falling in the same second, ours against raw Temporal timers of
// the same shape on the same server, and what one breach costs in CPU.
import type { Client } from '@temporalio/client';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import type { NotificationDocument } from '../activities/outbox';
import type { ComplaintDocument } from '../activities/read-model';
import { complaintWorkflowId, type ComplaintWorkflowInput } from '../domain/complaint';
import type { ResolvedSlaPolicy } from '../domain/deadlines';
import { CpuBudget, type CpuTimeline, quiet } from './cpu-budget';
import type { RawTimerLags } from './raw-activities';
import { timerThenActivity } from './raw-workflows';
import { percentile, round } from './stats';

export interface LagFigures {
  n: number;
  of: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * A burst's lags after the deadlines: `noticed` when the workflow's task ran (the breach's `at`;
 * the raw workflow's time after its timer), `recorded` when the change reached its effect (the
 * breach's notice queued with the snapshot written before it; the raw activity's run).
 */
export interface Lags {
  noticed: LagFigures;
  recorded: LagFigures;
  /** From the first deadline to the last. */
  deadlinesWithinMs: number;
}

const figuresOf = (lags: number[], of: number): LagFigures => ({
  n: lags.length, of, p50Ms: round(percentile(lags, 0.5)), p99Ms: round(percentile(lags, 0.99)), maxMs: round(Math.max(...lags)),
});

export interface TimerOutcome {
  deadline: number;
  noticedAt: number;
  recordedAt: number;
}

export function lagsOf(outcomes: TimerOutcome[], of: number): Lags {
  const deadlines = outcomes.map((o) => o.deadline);
  return {
    noticed: figuresOf(outcomes.map((o) => o.noticedAt - o.deadline), of),
    recorded: figuresOf(outcomes.map((o) => o.recordedAt - o.deadline), of),
    deadlinesWithinMs: deadlines.length ? Math.max(...deadlines) - Math.min(...deadlines) : 0,
  };
}

/** Runs `call` for 0…n-1, `concurrency` at a time. */
export async function inLanes<T>(n: number, concurrency: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      results[i] = await call(i);
    }
  }));
  return results;
}

/** Where a burst's cases are recorded: the read model and the outbox. */
export interface BurstStores {
  complaints: Model<ComplaintDocument>;
  notifications: Model<NotificationDocument>;
}

/**
 * Waits until every case has its first breach in the read model and its notice in the outbox;
 * the deadline, when its task ran (the breach's `at`) and when it was recorded (the notice's
 * `createdAt`: the record writes the snapshot, then queues the notices).
 */
export async function breachesOf(stores: BurstStores, ids: string[], limitMs = 300_000): Promise<TimerOutcome[]> {
  let outcomes: TimerOutcome[] = [];
  for (const giveUp = Date.now() + limitMs; Date.now() < giveUp; await new Promise((r) => setTimeout(r, 1000))) {
    const stored = await stores.complaints.find({ _id: { $in: ids }, breached: true }, { snapshot: 1 }).hint({ breached: 1, createdAt: -1, _id: -1 }).lean();
    const notices = await stores.notifications
      .find({ complaintId: { $in: ids }, event: 'deadline_breached' }, { complaintId: 1, createdAt: 1 }).hint({ complaintId: 1 }).lean();
    const recordedAt = new Map(notices.map((n) => [n.complaintId, n.createdAt.getTime()]));
    outcomes = stored.flatMap((d) => {
      const breach = (JSON.parse(d.snapshot) as { breaches: Array<{ deadline: string; at: string }> }).breaches[0]!;
      const recorded = recordedAt.get(d._id);
      return recorded === undefined ? [] : [{ deadline: Date.parse(breach.deadline), noticedAt: Date.parse(breach.at), recordedAt: recorded }];
    });
    if (outcomes.length === ids.length) break;
  }
  return outcomes;
}

export interface DirectBurstOptions {
  /** A client whose data converter encrypts as the service's does. */
  client: Client;
  taskQueue: string;
  stores: BurstStores;
  policy: ResolvedSlaPolicy;
  n: number;
  dueInS: number;
  budget: CpuBudget;
}

/**
 * Of a same-second burst, the CPU every process spent from the deadline until its last case was
 * noticed, per case: set beside the whole CPU per case, it says how much of each case's work ran
 * before the last one was noticed — all of a breach's, where its whole change is in the timer's
 * task; the raw workflow's closing task runs after the other timers' tasks.
 */
export interface CriticalCpu {
  cpuMsPerCaseUntilLastNoticed: number;
}

function criticalCpu(timeline: CpuTimeline, due: number, lags: Lags, n: number): CriticalCpu {
  return { cpuMsPerCaseUntilLastNoticed: round((timeline.spentBetween(due, due + lags.noticed.maxMs) * 1000) / n, 2) };
}

/**
 * `n` complaint workflows opened with the same `receivedAt`, so that their acknowledge deadlines
 * (`dueInS` later) fall in the same millisecond. No API could take them in one second on two
 * cores: they are started with the input the API builds, through the Temporal client. Their
 * 80 % warnings fire first; the breaches are measured once those are done and the system is quiet.
 */
export async function directBurst(o: DirectBurstOptions): Promise<Lags & CriticalCpu & { warningsOverlapped: boolean }> {
  const receivedAt = Date.now() + 1000;
  const policy: ResolvedSlaPolicy = { ...o.policy, durations: { ...o.policy.durations, acknowledge: `${o.dueInS}s` } };
  const ids = Array.from({ length: o.n }, () => randomUUID());
  await inLanes(o.n, 32, (i) => {
    const input: ComplaintWorkflowInput = {
      id: ids[i]!, receivedAt: new Date(receivedAt).toISOString(), actor: 'agent:a1', policy,
      intake: {
        orderId: `burst-${ids[i]}`, productName: 'Kettle', description: 'Leaks', channel: 'phone', category: 'quality',
        severity: 'general', customerId: `b${i}`, contact: { name: 'Bench Person', phone: '13000000000' }, evidence: [], locale: 'zh-CN',
      },
    };
    return o.client.workflow.start('complaintWorkflow', { workflowId: complaintWorkflowId(ids[i]!), taskQueue: o.taskQueue, args: [input] });
  });
  const due = receivedAt + o.dueInS * 1000;
  const startedS = (Date.now() - receivedAt) / 1000;
  const openedQuietS = (await quiet(), (Date.now() - receivedAt) / 1000);
  // The warnings (at 80 %) first, then quiet: the breaches' CPU is theirs alone.
  await sleepUntil(receivedAt + o.dueInS * 800 + 1000);
  await quiet();
  const warnedQuietS = (Date.now() - receivedAt) / 1000;
  const warningsOverlapped = Date.now() > due - 2000;
  console.log(`same-second burst of ${o.n}: started in ${startedS} s, quiet after intake at ${openedQuietS} s, after warnings at ${warnedQuietS} s, due at ${o.dueInS} s`);
  await sleepUntil(due - 2000);
  const timeline = o.budget.timeline();
  timeline.start();
  await o.budget.measure(o.n, async () => sleepUntil(due + 1000));
  timeline.stop();
  const lags = lagsOf(await breachesOf(o.stores, ids), o.n);
  return { ...lags, warningsOverlapped, ...criticalCpu(timeline, due, lags, o.n) };
}

/** The raw burst of the same shape: `n` timers due in the same millisecond, each followed by one activity. */
export async function rawBurst(raw: RawBurstTarget, n: number, dueInS: number, budget: CpuBudget): Promise<Lags & CriticalCpu> {
  const [burst, due] = [randomUUID(), Date.now() + dueInS * 1000];
  await inLanes(n, 32, () => raw.client.workflow.start(timerThenActivity, { workflowId: `raw-burst-${randomUUID()}`, taskQueue: raw.taskQueue, args: [burst, due] }));
  await quiet();
  // Measured from before the timers fire: the starts must leave them time (`dueInS`).
  if (Date.now() > due - 2000) throw new Error(`raw burst: ${n} starts took more than ${dueInS - 2} s; give the timers a later due time`);
  await sleepUntil(due - 2000);
  const timeline = budget.timeline();
  timeline.start();
  const collected = await budget.measure(n, () => raw.lags.collect(burst, n));
  timeline.stop();
  const lags = lagsOf(collected.map((lag) => ({ deadline: due, noticedAt: due + lag.noticedMs, recordedAt: due + lag.recordedMs })), n);
  return { ...lags, ...criticalCpu(timeline, due, lags, n) };
}

/** The raw burst as `n` concurrent starts, each due `dueInS` after its own start (ours: `n` concurrent intakes). */
export async function rawConcurrentBurst(raw: RawBurstTarget, n: number, dueInS: number): Promise<Lags> {
  const burst = randomUUID();
  const dues = await inLanes(n, n, async () => {
    const due = Date.now() + dueInS * 1000;
    await raw.client.workflow.start(timerThenActivity, { workflowId: `raw-burst-${randomUUID()}`, taskQueue: raw.taskQueue, args: [burst, due] });
    return due;
  });
  // Which lag is whose does not matter: all are due `dueInS` after a start within the same moment.
  const lags = await raw.lags.collect(burst, n);
  return lagsOf(dues.map((due, i) => ({ deadline: due, noticedAt: due + lags[i]!.noticedMs, recordedAt: due + lags[i]!.recordedMs })), n);
}

/** Where the raw bursts run: the benchmark's raw worker, which collects the timers' lags. */
export interface RawBurstTarget {
  client: Client;
  taskQueue: string;
  lags: RawTimerLags;
}

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
