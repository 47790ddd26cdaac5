import { addWorkingDays, type WorkingCalendar } from './calendar';
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
}

export function durationMs(duration: string): number {
  const match = durationPattern.exec(duration);
  if (!match) throw new RangeError(`not a duration: ${duration}`);
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}

/** When a stage that starts at `from` is due under the policy. */
export function deadlineAfter(policy: ResolvedSlaPolicy, stage: Stage, from: Date): Date {
  const duration = policy.durations[stage];
  if (typeof duration === 'string') return new Date(from.getTime() + durationMs(duration));
  return addWorkingDays(policy.calendar, from, duration.businessDays);
}
