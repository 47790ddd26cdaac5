import { addWorkingDays, addWorkingTime, workingMsBetween, type WorkingCalendar } from './calendar';
import type { Severity, Stage } from './complaint-schema';

/**
 * Deadline arithmetic, kept apart from the policy file's schema so the workflow bundle
 * carries no validation library.
 */

/** A calendar duration ("90s", "15m", "24h", "7d") or working time. */
export type SlaDuration = string | { businessDays: number };

export const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The policy for one complaint: what its workflow carries from intake to closure. */
export interface ResolvedSlaPolicy {
  version: string;
  severity: Severity;
  calendar: WorkingCalendar;
  durations: Record<Stage, SlaDuration>;
  /** How long the consumer has to answer a question (absent in cases opened before 2026-12: 3 days). */
  consumerReply?: SlaDuration;
  /** How long after closure the case may be reopened (absent before 2026-12: 7 days). */
  reopen?: SlaDuration;
  /** Which stages' clocks stop while the case waits on the consumer (absent before 2026-12: all that can). */
  pauses?: Partial<Record<PausableStage, boolean>>;
}

/** The clocks a question to the consumer may stop: the stage being worked on, and the overall one. */
export const pausableStages = ['investigate', 'plan', 'resolve'] as const;
export type PausableStage = (typeof pausableStages)[number];
/** domain.md's spirit: the platform's own clock stops while it waits on the consumer. */
export const defaultConsumerWait = {
  consumerReply: '3d',
  reopen: '7d',
  pauses: { investigate: true, plan: true, resolve: true },
} as const satisfies { consumerReply: SlaDuration; reopen: SlaDuration; pauses: Record<PausableStage, boolean> };

export function durationMs(duration: string): number {
  const match = durationPattern.exec(duration);
  if (!match) throw new RangeError(`not a duration: ${duration}`);
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}

/** When a stage that starts at `from` is due under the policy. */
export function deadlineAfter(policy: ResolvedSlaPolicy, stage: Stage, from: Date): Date {
  return afterDuration(policy.calendar, policy.durations[stage], from);
}

/** The instant a duration after `from`: calendar time, or working days on the calendar. */
export function afterDuration(calendar: WorkingCalendar, duration: SlaDuration, from: Date): Date {
  if (typeof duration === 'string') return new Date(from.getTime() + durationMs(duration));
  return addWorkingDays(calendar, from, duration.businessDays);
}

/**
 * A stage's deadline after its clock stood still from `pausedAt` to `resumedAt`: later by the
 * time paused, counted in the stage's own kind of time (working time for working-day stages,
 * so a pause over a weekend moves it by the working hours of the pause only).
 */
export function deadlineAfterPause(policy: ResolvedSlaPolicy, stage: Stage, deadline: Date, pausedAt: Date, resumedAt: Date): Date {
  if (resumedAt <= pausedAt) return deadline;
  if (typeof policy.durations[stage] === 'string') return new Date(deadline.getTime() + (resumedAt.getTime() - pausedAt.getTime()));
  return addWorkingTime(policy.calendar, deadline, workingMsBetween(policy.calendar, pausedAt, resumedAt));
}
