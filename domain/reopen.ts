import { caseLimits } from './case-limits';
import { caseFacts, consumerNotice, escalate, maxEscalationLevel, notice, record, startClock, windowEnd, type CaseState, type Notice } from './case-state';
import type { Actor, Complaint } from './complaint-schema';
import { defaultConsumerWait, type ResolvedSlaPolicy } from './deadlines';
import type { Rejection } from './lifecycle';

/**
 * Reopening a case closed too early (the replacement is broken too): the same case, its whole
 * history, back to investigation with fresh deadlines; a new run of its workflow carries it.
 */

/** What the API hands the workflow's new run. */
export interface ReopenInput {
  /** The case as it closed (the read model's copy: the whole timeline). */
  complaint: Complaint;
  reason: string;
  /** `role:sub` of who reopened it. */
  actor: string;
  at: string;
}

export const reopenRoles: readonly Actor['role'][] = ['consumer', 'agent'];

/** When the reopen window of a closed case ends. */
export function reopenUntil(complaint: Complaint, policy: Pick<ResolvedSlaPolicy, 'calendar' | 'reopen'>): string | undefined {
  const closedAt = [...complaint.timeline].reverse().find((e) => e.type === 'closed')?.at;
  return closedAt ? windowEnd(policy, policy.reopen ?? defaultConsumerWait.reopen, closedAt) : undefined;
}

/** Why `actor` may not reopen the case at `now`, or null. */
export function reopenProblem(c: Complaint, actor: Actor, now: Date, policy: Pick<ResolvedSlaPolicy, 'calendar' | 'reopen'>): Rejection | null {
  if (actor.role === 'consumer' && c.customerId !== actor.sub) return { kind: 'not_found', message: `No complaint ${c.id}.` };
  if (!reopenRoles.includes(actor.role)) return { kind: 'forbidden', message: 'Only the consumer who opened the complaint or an agent may reopen it.' };
  if (c.status !== 'closed') {
    return { kind: 'invalid_state', message: `Only a closed complaint can be reopened; this one is ${c.status}.` };
  }
  if (c.erasedAt) {
    return { kind: 'invalid_state', message: 'The personal data of this complaint was erased: it cannot be reopened. Open a new complaint.' };
  }
  if ((c.reopenCount ?? 0) >= caseLimits.reopens) {
    return { kind: 'invalid_state', message: `The complaint was reopened ${c.reopenCount} times, the most a case takes: open a new complaint.` };
  }
  const until = reopenUntil(c, policy);
  if (!until || now.getTime() > Date.parse(until)) {
    return { kind: 'invalid_state', message: `The reopen window ended at ${until ?? 'closure'}: open a new complaint.` };
  }
  return null;
}

/** The case back in investigation, its history kept, with the deadlines of `policy` from now. */
export function reopenCase(input: ReopenInput, policy: ResolvedSlaPolicy): { state: CaseState; notices: Notice[] } {
  // A deep copy (the workflow sandbox has no structuredClone): the input stays as it closed.
  const { timelineStart: _carried, satisfaction, ...closed } = JSON.parse(JSON.stringify(input.complaint)) as Complaint;
  const count = (closed.reopenCount ?? 0) + 1;
  const state: CaseState = {
    policy,
    clocks: {},
    complaint: {
      ...closed,
      // Snapshots of older code may lack the lists added since.
      requests: closed.requests ?? [], findings: closed.findings ?? [], feedback: closed.feedback ?? [], breaches: closed.breaches ?? [],
      // The earlier round's deadlines are over (its breaches and timeline keep them); this round's start now.
      deadlines: {}, warningsAt: {},
      reopenCount: count, reopenedAt: input.at, slaPolicyVersion: policy.version,
    },
  };
  const c = state.complaint;
  c.status = 'investigating';
  record(state, 'reopened', input.actor, input.at, {
    reason: input.reason, count, ...(satisfaction ? { previousScore: satisfaction.score } : {}),
  });
  record(state, 'investigation_started', 'system', input.at, { departments: [...c.departments] });
  startClock(state, 'investigate', input.at);
  startClock(state, 'resolve', input.at);
  // Each department investigates again: a request of this round, beside the earlier ones.
  for (const handler of c.departments) {
    c.requests.push({ key: `investigation:${handler}:r${count}`, handler, kind: 'investigation', status: 'pending', at: input.at });
  }
  const notices: Notice[] = [
    consumerNotice(state, `reopened:${count}`, { progress: 'investigating', investigateBy: c.deadlines.investigate, expectedCompletion: c.deadlines.resolve }),
    notice(`reopened:${count}`, 'reopened', 'assignee', { ...caseFacts(state), reason: input.reason, count }),
  ];
  // A case that comes back again and again needs someone with more authority.
  if (count > 1 && c.escalationLevel < maxEscalationLevel) {
    notices.push(...escalate(state, c.escalationLevel + 1, `reopened ${count} times: ${input.reason}`, 'system', input.at));
  }
  return { state, notices };
}
