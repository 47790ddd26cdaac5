import type { Stage, TimelineEvent } from './complaint-schema';
import { afterDuration, deadlineAfter, deadlineAfterPause, defaultConsumerWait, type ResolvedSlaPolicy } from './deadlines';

/**
 * The deadlines a recorded case would have had under another SLA policy (issue 23's what-if):
 * its recorded action times replayed against the lifecycle's clock rules — which event starts
 * and finishes each stage, how a question to the consumer pauses it — with the candidate's
 * durations and calendar. With the case's own policy it reproduces the breaches the workflow
 * recorded (test/unit/what-if.test.ts drives the lifecycle itself to check that). Pure.
 */

/** A timeline event as the clocks need it: its type, instant, and the data a clock rule reads. */
export interface ClockEvent {
  type: string;
  at: string;
  data?: { remedy?: unknown; replyBy?: unknown };
}

/** The events `replayClocks` acts on; the rest of a timeline leaves every clock as it was. */
const clockEventTypes: ReadonlySet<string> = new Set([
  'received', 'acknowledged', 'investigation_started', 'investigation_completed', 'plan_proposed', 'plan_rejected', 'plan_accepted',
  'fulfilled', 'reopened', 'information_requested', 'information_received', 'information_not_received', 'closed', 'withdrawn', 'ops_terminated',
]);

/** A timeline cut down to what its clocks need (kept in the report facts, so the what-if reads no timeline). */
export function clockEventsOf(timeline: readonly TimelineEvent[]): ClockEvent[] {
  return timeline.filter((e) => clockEventTypes.has(e.type)).map(({ type, at, data }) => {
    const kept = type === 'plan_proposed' ? { remedy: data.remedy } : type === 'information_not_received' && data.replyBy !== undefined ? { replyBy: data.replyBy } : undefined;
    return kept ? { type, at, data: kept } : { type, at };
  });
}

export interface ReplayedClock {
  stage: Stage;
  startedAt: string;
  deadline: string;
  /** When the stage finished, or the case ended with it still open. */
  endedAt?: string;
  breached: boolean;
}

interface RunningClock {
  stage: Stage;
  startedAt: string;
  deadline: string;
  pausedAt?: string;
}

/** Stages whose deadline can be missed (the revisit window ends in a closure, not a breach). */
const breachable: ReadonlySet<Stage> = new Set(['acknowledge', 'investigate', 'plan', 'feedback', 'repair', 'resolve']);

/** Every stage clock of the case under `policy`, in the order they started; open ones judged at `now`. */
export function replayClocks(events: readonly ClockEvent[], policy: ResolvedSlaPolicy, now: Date): ReplayedClock[] {
  const running = new Map<Stage, RunningClock>();
  const clocks: ReplayedClock[] = [];
  const pauses = { ...defaultConsumerWait.pauses, ...policy.pauses };
  let remedy: unknown;
  let replyBy: string | undefined;

  const end = (stage: Stage, at: string) => {
    const clock = running.get(stage);
    if (!clock) return;
    running.delete(stage);
    // A paused clock cannot be missed: its deadline moves out when the case resumes.
    clocks.push({ stage, startedAt: clock.startedAt, deadline: clock.deadline, endedAt: at, breached: !clock.pausedAt && at > clock.deadline });
  };
  const start = (stage: Stage, at: string) => {
    end(stage, at);
    if (breachable.has(stage)) running.set(stage, { stage, startedAt: at, deadline: deadlineAfter(policy, stage, new Date(at)).toISOString() });
  };
  const endAll = (at: string) => [...running.keys()].forEach((stage) => end(stage, at));

  for (const event of events) {
    const at = event.at;
    const data = event.data ?? {};
    switch (event.type) {
      case 'received':
        start('acknowledge', at);
        start('resolve', at);
        break;
      case 'acknowledged':
        end('acknowledge', at);
        break;
      case 'investigation_started':
        start('investigate', at);
        break;
      case 'investigation_completed':
        end('investigate', at);
        start('plan', at);
        break;
      case 'plan_proposed':
        end('plan', at);
        start('feedback', at);
        remedy = data.remedy;
        break;
      case 'plan_rejected':
        end('feedback', at);
        start('plan', at);
        break;
      case 'plan_accepted':
        end('feedback', at);
        if (remedy === 'repair') start('repair', at);
        break;
      case 'fulfilled':
        end('repair', at);
        end('resolve', at);
        break;
      case 'reopened':
        endAll(at);
        start('resolve', at);
        break;
      case 'information_requested': {
        // The clocks a question stops under this policy: the stage worked on and resolve, not past due.
        const worked = running.has('investigate') ? 'investigate' : 'plan';
        for (const stage of [worked, 'resolve'] as const) {
          const clock = running.get(stage);
          if (clock && pauses[stage] && clock.deadline > at) clock.pausedAt = at;
        }
        replyBy = afterDuration(policy.calendar, policy.consumerReply ?? defaultConsumerWait.consumerReply, new Date(at)).toISOString();
        break;
      }
      case 'information_received':
      case 'information_not_received': {
        // An unanswered question resumes the clocks from the end of its reply time.
        const recordedEnd = typeof data.replyBy === 'string' ? data.replyBy : replyBy;
        const resumedAt = event.type === 'information_not_received' && recordedEnd && recordedEnd < at ? recordedEnd : at;
        for (const clock of running.values()) {
          if (!clock.pausedAt) continue;
          clock.deadline = deadlineAfterPause(policy, clock.stage, new Date(clock.deadline), new Date(clock.pausedAt), new Date(resumedAt)).toISOString();
          delete clock.pausedAt;
        }
        break;
      }
      case 'closed':
      case 'withdrawn':
      case 'ops_terminated':
        // Whatever still runs stops here. (A resolution stops nothing: resolve and repair ended with the fulfilment.)
        endAll(at);
        break;
    }
  }
  const nowIso = now.toISOString();
  for (const clock of running.values()) {
    clocks.push({ stage: clock.stage, startedAt: clock.startedAt, deadline: clock.deadline, breached: !clock.pausedAt && nowIso > clock.deadline });
  }
  return clocks;
}

/** The breaches of `replayClocks`, as the case records them: stage and deadline. */
export const replayedBreaches = (clocks: ReplayedClock[]): Array<{ stage: Stage; deadline: string }> =>
  clocks.filter((c) => c.breached).map(({ stage, deadline }) => ({ stage, deadline }));
