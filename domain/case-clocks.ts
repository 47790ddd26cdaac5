import { stages, type Clock, type Complaint, type Sla, type Stage, type TimelineEvent } from './complaint-schema';
import { shareOf, warningShare } from './case-state';
import { clockRuns } from './lifecycle';

/**
 * The clocks of a case as the screens show them (a pure function of the complaint and the
 * time): per stage its start, warning, due and finish times, and its state. The times are the
 * ones the workflow's timers use: a stage starts with the timeline event that started its timer,
 * at the same instant, and its due time is the case's `deadlines` entry.
 */

/** When a clock started and finished: timeline events, the latest start and the first finish after it. */
const startedBy: Record<Stage, readonly string[]> = {
  acknowledge: ['received'],
  investigate: ['investigation_started'],
  plan: ['investigation_completed', 'plan_rejected'],
  feedback: ['plan_proposed'],
  repair: ['plan_accepted'],
  resolve: ['received', 'reopened'],
  revisit: ['resolved'],
};
const finishedBy: Record<Stage, readonly string[]> = {
  acknowledge: ['acknowledged'],
  investigate: ['investigation_completed'],
  plan: ['plan_proposed'],
  feedback: ['plan_accepted', 'plan_rejected'],
  repair: ['fulfilled'],
  resolve: ['fulfilled'],
  revisit: ['closed'],
};
/** Stages whose due time is the consumer's window: they warn nobody. */
const withoutWarning: ReadonlySet<Stage> = new Set(['feedback', 'revisit']);
/** Ended before every stage finished: the open clocks stop where they were. */
const endedEarly: ReadonlySet<Complaint['status']> = new Set(['withdrawn', 'terminated']);

/** The time-independent part of a clock: when it started, warns, is due and finished. */
export type ClockTimes = Omit<Clock, 'state' | 'tookMs' | 'overdueMs'> & { breached: boolean; open: boolean };

export function clockTimesOf(
  complaint: Pick<Complaint, 'status' | 'deadlines' | 'breaches' | 'timeline' | 'createdAt' | 'informationRequests' | 'reopenedAt' | 'warningsAt'>,
): ClockTimes[] {
  const clocks: ClockTimes[] = [];
  const { timeline = [], breaches = [] } = complaint;
  for (const [stage, dueAt] of Object.entries(complaint.deadlines ?? {}) as [Stage, string][]) {
    const startIndex = lastIndex(timeline, startedBy[stage]);
    // The intake starts both; a reopen starts `resolve` again (the timeline window may not hold either).
    const startedAt =
      stage === 'acknowledge' ? complaint.createdAt : stage === 'resolve' ? (complaint.reopenedAt ?? complaint.createdAt) : timeline[startIndex]?.at;
    const finish = timeline.slice(Math.max(startIndex, 0)).find((e) => finishedBy[stage].includes(e.type));
    // A clock a question to the consumer stopped is not open: `paused` until the case resumes.
    const open = !endedEarly.has(complaint.status) && clockRuns(complaint, stage);
    const breached = breaches.some((b) => b.stage === stage && b.deadline === dueAt);
    clocks.push({
      stage,
      ...(startedAt ? { startedAt } : {}),
      // Where the workflow's timer warns: at the stage's share, unless a pause moved it.
      ...(startedAt && !withoutWarning.has(stage) ? { warningAt: complaint.warningsAt?.[stage] ?? shareOf(startedAt, dueAt, warningShare) } : {}),
      dueAt,
      ...(!open && finish ? { finishedAt: finish.at } : {}),
      breached,
      open,
    });
  }
  return clocks;
}

/** A clock's state at `now`, with how long it took or how far past due it is. */
export function clockAt(times: ClockTimes, now: Date): Clock {
  const { breached, open, ...shown } = times;
  const due = Date.parse(times.dueAt);
  const end = times.finishedAt ? Date.parse(times.finishedAt) : now.getTime();
  const moving = open || times.finishedAt !== undefined;
  const late = breached || (moving && end > due);
  const state: Clock['state'] = late ? 'breached' : open ? 'running' : times.finishedAt ? 'met' : 'paused';
  return {
    ...shown,
    state,
    ...(times.finishedAt && times.startedAt ? { tookMs: Date.parse(times.finishedAt) - Date.parse(times.startedAt) } : {}),
    // A clock stopped early has no end to measure against: it says breached, not by how long.
    ...(late && moving ? { overdueMs: Math.max(0, end - due) } : {}),
  };
}

/** Every clock of the case at `now`, in the order of the stages. */
export function clocksOf(complaint: Parameters<typeof clockTimesOf>[0], now: Date): Clock[] {
  return clockTimesOf(complaint).map((c) => clockAt(c, now)).sort((a, b) => stages.indexOf(a.stage) - stages.indexOf(b.stage));
}

/**
 * The case's badge: a running clock past due → breached (the most overdue); else the running
 * clock due first → at risk once past its warning time, on track before; no running clock →
 * breached when a stage was late (the latest such), met when every stage finished in time,
 * none otherwise (no clock, or the case ended before its stages finished). A case waiting on the
 * consumer with no clock running is `paused` (its deadline moves out when it resumes).
 */
export function slaOf(clocks: Clock[], now: Date, waitingOnConsumer = false): Sla {
  const running = clocks.filter((c) => c.state === 'running' || (c.state === 'breached' && !c.finishedAt));
  const overdue = running.filter((c) => c.state === 'breached').sort((a, b) => (b.overdueMs ?? 0) - (a.overdueMs ?? 0))[0];
  if (overdue) return badge('breached', overdue);
  const next = running.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
  if (next) {
    const atRisk = running.find((c) => c.warningAt && Date.parse(c.warningAt) <= now.getTime());
    return atRisk ? badge('at_risk', atRisk) : badge('on_track', next);
  }
  // Waiting on the consumer with every clock stopped: paused, at the deadline it stood at.
  const paused = waitingOnConsumer && clocks.filter((c) => c.state === 'paused').sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
  if (paused) return badge('paused', paused);
  const late = clocks.filter((c) => c.state === 'breached').at(-1);
  if (late) return badge('breached', late);
  // A case that ended before its stages finished met nothing: it has no badge.
  return clocks.length > 0 && clocks.every((c) => c.state === 'met') ? { state: 'met' } : { state: 'none' };
}

const badge = (state: Sla['state'], clock: Clock): Sla => ({
  state,
  stage: clock.stage,
  dueAt: clock.dueAt,
  ...(clock.warningAt ? { warningAt: clock.warningAt } : {}),
  ...(clock.overdueMs !== undefined && state === 'breached' ? { overdueMs: clock.overdueMs } : {}),
});

/**
 * What the read model stores to sort and filter on (indexed): the due time of the open clock
 * due first (a past one sorts first: it is overdue), its stage, and the earliest warning time
 * of the open clocks not yet breached. None when no clock runs.
 */
export function nextDeadlineOf(times: ClockTimes[]): { nextDeadline: string; nextDeadlineStage: Stage; riskFrom?: string } | null {
  const open = times.filter((c) => c.open).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const first = open[0];
  if (!first) return null;
  const warnings = open.filter((c) => !c.breached && c.warningAt).map((c) => c.warningAt!).sort();
  return { nextDeadline: first.dueAt, nextDeadlineStage: first.stage, ...(warnings[0] ? { riskFrom: warnings[0] } : {}) };
}

function lastIndex(timeline: TimelineEvent[], types: readonly string[]): number {
  for (let i = timeline.length - 1; i >= 0; i--) if (types.includes(timeline[i]!.type)) return i;
  return -1;
}
