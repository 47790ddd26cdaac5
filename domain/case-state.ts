import type { Actor, Department, Stage } from './complaint-schema';
import { afterDuration, deadlineAfter, type ResolvedSlaPolicy } from './deadlines';

/**
 * The state a complaint's workflow carries, and the small steps every rule module takes on it
 * (record a timeline entry, start a clock, address a notice). Shared by the lifecycle, the
 * consumer wait and the reopen rules, so none of them imports another.
 */

export interface StageClock {
  startedAt: string;
  deadline: string;
  warned: boolean;
  breached: boolean;
  reminded: boolean;
}

export interface CaseState {
  complaint: import('./complaint-schema').Complaint;
  policy: ResolvedSlaPolicy;
  clocks: Partial<Record<Stage, StageClock>>;
}

export type Recipient = 'consumer' | 'supervisor' | 'assignee' | `department:${Department}`;

/** A message the case owes someone. `key` is unique within the case: sent once per key. */
export interface Notice {
  key: string;
  event: string;
  recipient: Recipient;
  data: Record<string, unknown>;
}

export const maxEscalationLevel = 3;
/** Share of a stage's time after which it is at risk: the warning to the assignee [domain.md §3]. */
export const warningShare = 0.8;

/** The instant `fraction` of the way from `from` to `to`. */
export const shareOf = (from: string, to: string, fraction: number): string => {
  const start = Date.parse(from);
  return new Date(start + Math.round((Date.parse(to) - start) * fraction)).toISOString();
};
export const system = 'system';

/** Who did it: a person (`role:sub`), a handler (`handler:payments`) or the workflow (`system`). */
export type ActorRef = Actor | string;
export const actorId = (actor: ActorRef): string => (typeof actor === 'string' ? actor : `${actor.role}:${actor.sub}`);

export function record(state: Pick<CaseState, 'complaint'>, type: string, actor: ActorRef, at: string, data: Record<string, unknown>): void {
  const c = state.complaint;
  c.timeline.push({ at, type, actor: actorId(actor), data });
  c.updatedAt = at;
  c.revision += 1;
}

/**
 * The read model holds a snapshot written ahead of the case (a record that accepted requests
 * in it, decision 026) while the case moved on otherwise: the case's next revision passes that
 * one, so the store, which keeps only newer revisions, takes the case's next snapshot.
 */
export function revisionAbove(complaint: Pick<CaseState['complaint'], 'revision'>, written: number): void {
  if (complaint.revision <= written) complaint.revision = written + 1;
}

export function startClock(state: CaseState, stage: Stage, at: string): void {
  const deadline = deadlineAfter(state.policy, stage, new Date(at)).toISOString();
  state.clocks[stage] = { startedAt: at, deadline, warned: false, breached: false, reminded: false };
  state.complaint.deadlines[stage] = deadline;
  // A fresh clock warns at its share again: a move by an earlier pause belongs to the earlier clock.
  if (state.complaint.warningsAt?.[stage]) delete state.complaint.warningsAt[stage];
}

/** The end of a policy window (the consumer's reply time, the reopen window) that starts at `from`. */
export const windowEnd = (policy: Pick<ResolvedSlaPolicy, 'calendar'>, duration: Parameters<typeof afterDuration>[1], from: string): string =>
  afterDuration(policy.calendar, duration, new Date(from)).toISOString();

export function escalate(state: CaseState, level: number, reason: string, actor: ActorRef, now: string): Notice[] {
  const c = state.complaint;
  const from = c.escalationLevel;
  c.escalationLevel = level;
  record(state, 'escalated', actor, now, { from, to: level, reason });
  return [notice(`escalated:${level}`, 'escalated', 'supervisor', { ...caseFacts(state), from, to: level, reason })];
}

/** Case facts a notice may carry: never the consumer's contact details. */
export const caseFacts = (state: CaseState) => ({
  complaintId: state.complaint.id,
  status: state.complaint.status,
  category: state.complaint.category,
  severity: state.complaint.severity,
  escalationLevel: state.complaint.escalationLevel,
  assignee: state.complaint.assignee ?? null,
});

export const notice = (key: string, event: string, recipient: Recipient, data: Record<string, unknown>): Notice => ({
  key, event, recipient, data,
});

export const consumerNotice = (state: CaseState, key: string, data: Record<string, unknown>): Notice =>
  notice(key, key.split(':')[0]!, 'consumer', { ...caseFacts(state), ...data });
