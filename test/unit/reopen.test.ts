import { describe, expect, it } from 'vitest';
import type { Actor, Complaint } from '../../domain/complaint-schema';
import { caseActions } from '../../domain/case-actions';
import { clocksOf } from '../../domain/case-clocks';
import { caseLimits } from '../../domain/case-limits';
import { applyAction, applyHandlerAnswer, awaitingFindingsFrom, openCase, pendingRequests, rejectAction, type Action, type CaseState } from '../../domain/lifecycle';
import { reportFacts } from '../../domain/report-facts';
import { reopenCase, reopenProblem, reopenUntil } from '../../domain/reopen';
import { parseSlaPolicy, resolveSlaPolicy } from '../../domain/sla-policy';
import { sampleIntake } from '../support/fixtures';

const consumer: Actor = { role: 'consumer', sub: 'u1' };
const agent: Actor = { role: 'agent', sub: 'a1' };
const quality: Actor = { role: 'department', sub: 'q1', department: 'quality' };
const receivedAt = '2026-11-23T02:00:00.000Z';
const minutes = (n: number) => new Date(Date.parse(receivedAt) + n * 60_000).toISOString();
const policy = resolveSlaPolicy(
  parseSlaPolicy({ version: 'p2', policies: { general: { acknowledge: '10m', investigate: '100m', plan: '100m', feedback: '10m', resolve: '1000m', revisit: '20m', reopen: '60m' } } }),
  'general',
  'test',
);

function act(state: CaseState, action: Action, actor: Actor, at: string) {
  expect(rejectAction(state, action, actor)).toBeNull();
  return applyAction(state, action, actor, at);
}

/** A quality case taken to closure with a rating, the last step at minute 10 (closed then). */
function closedCase(): Complaint {
  const { state } = openCase({ id: 'c1', receivedAt, actor: 'consumer:u1', policy, intake: sampleIntake({ category: 'quality' }) });
  act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
  act(state, { type: 'submitFindings', input: { department: 'quality', summary: 'defect', responsibleParty: 'merchant' } }, quality, minutes(2));
  act(state, { type: 'proposePlan', input: { remedy: 'apology', description: 'Sorry', currency: 'CNY' } }, agent, minutes(3));
  act(state, { type: 'giveFeedback', input: { accepted: true } }, consumer, minutes(4));
  act(state, { type: 'completeFulfilment', input: { done: true } }, agent, minutes(5));
  act(state, { type: 'rateSatisfaction', input: { score: 2 } }, consumer, minutes(10));
  expect(state.complaint.status).toBe('closed');
  return state.complaint;
}

describe('reopening a closed case', () => {
  it('is for the owner or an agent, on a closed case, within the policy\'s window', () => {
    const closed = closedCase();
    expect(reopenUntil(closed, policy)).toBe(minutes(70));
    expect(reopenProblem(closed, consumer, new Date(minutes(69)), policy)).toBeNull();
    expect(reopenProblem(closed, agent, new Date(minutes(20)), policy)).toBeNull();
    expect(reopenProblem(closed, consumer, new Date(minutes(71)), policy)).toMatchObject({ kind: 'invalid_state', message: expect.stringContaining(minutes(70)) });
    expect(reopenProblem(closed, { role: 'consumer', sub: 'u2' }, new Date(minutes(20)), policy)?.kind).toBe('not_found');
    expect(reopenProblem(closed, { role: 'supervisor', sub: 's1' }, new Date(minutes(20)), policy)?.kind).toBe('forbidden');
    expect(reopenProblem({ ...closed, status: 'resolved' }, consumer, new Date(minutes(20)), policy)).toMatchObject({ kind: 'invalid_state', message: expect.stringMatching(/resolved/) });
    expect(reopenProblem({ ...closed, status: 'withdrawn' }, consumer, new Date(minutes(20)), policy)?.kind).toBe('invalid_state');
    // Offered to the caller exactly while it would be taken.
    // (The owner may also have an ended case's personal data erased, at any time.)
    expect(caseActions(closed, consumer, new Date(minutes(20)), policy)).toEqual([{ type: 'reopen' }, { type: 'erasePersonalData' }]);
    expect(caseActions(closed, consumer, new Date(minutes(71)), policy)).toEqual([{ type: 'erasePersonalData' }]);
  });

  it('continues the same case back in investigation: history kept, fresh deadlines, every department asked again', () => {
    const closed = closedCase();
    const { state, notices } = reopenCase({ complaint: closed, reason: 'The kettle leaks again', actor: 'consumer:u1', at: minutes(30) }, policy);
    const c = state.complaint;
    expect(c).toMatchObject({ id: 'c1', status: 'investigating', reopenCount: 1, reopenedAt: minutes(30), slaPolicyVersion: 'p2', revision: closed.revision + 2 });
    expect(c.timeline.slice(0, closed.timeline.length)).toEqual(closed.timeline);
    expect(c.timeline.slice(closed.timeline.length)).toEqual([
      { at: minutes(30), type: 'reopened', actor: 'consumer:u1', data: { reason: 'The kettle leaks again', count: 1, previousScore: 2 } },
      { at: minutes(30), type: 'investigation_started', actor: 'system', data: { departments: ['quality'] } },
    ]);
    // Only this round's clocks: the earlier round's deadlines are over.
    expect(c.deadlines).toEqual({ investigate: minutes(130), resolve: minutes(1030) });
    expect(c.satisfaction).toBeUndefined();
    expect(pendingRequests(state).map((r) => r.key)).toEqual(['investigation:quality:r1']);
    expect(notices.map((n) => `${n.event}>${n.recipient}`)).toEqual(['reopened>consumer', 'reopened>assignee']);
    // The clocks on the screen run from the reopen.
    const clocks = clocksOf(c, new Date(minutes(31)));
    expect(clocks.find((k) => k.stage === 'resolve')).toMatchObject({ state: 'running', startedAt: minutes(30), dueAt: minutes(1030) });
    expect(clocks.find((k) => k.stage === 'investigate')).toMatchObject({ state: 'running', startedAt: minutes(30) });
    // The earlier round's findings do not end this investigation; this round's do.
    expect(c.findings).toHaveLength(1);
    expect(awaitingFindingsFrom(c)).toEqual(['quality']);
    applyHandlerAnswer(state, 'investigation:quality:r1', { outcome: 'done', findings: { summary: 'worse', responsibleParty: 'merchant' } }, minutes(40));
    expect(c.status).toBe('planning');
    expect(c.plan?.version).toBe(1);
    act(state, { type: 'proposePlan', input: { remedy: 'replacement', description: 'New kettle', currency: 'CNY' } }, agent, minutes(41));
    expect(c.plan?.version).toBe(2);
    // The reports measure the latest round: investigation from the reopen, resolution still open.
    const facts = reportFacts(c, policy.calendar);
    expect(facts).toMatchObject({ reopens: 1, revisit: null, stages: { investigate: { outcome: 'met', hours: 0.2 }, resolve: { outcome: 'open' }, revisit: { outcome: 'open' } } });
    // Its second resolution and closure reach the consumer: one message per round.
    act(state, { type: 'giveFeedback', input: { accepted: true } }, consumer, minutes(42));
    const resolved = act(state, { type: 'completeFulfilment', input: { done: true } }, agent, minutes(43));
    expect(resolved.map((n) => n.key)).toEqual(['resolved:r1', 'satisfaction_request:r1']);
    expect(act(state, { type: 'rateSatisfaction', input: { score: 5 } }, consumer, minutes(44)).map((n) => n.key)).toEqual(['closed:r1']);
    expect(reportFacts(c, policy.calendar)).toMatchObject({ revisit: 'answered', satisfactionScore: 5, stages: { resolve: { outcome: 'met', hours: 0.2 } } });
  });

  it('escalates a case reopened again, and stops at the limit', () => {
    let complaint = closedCase();
    for (let count = 1; count <= caseLimits.reopens; count++) {
      const { state, notices } = reopenCase({ complaint, reason: `again ${count}`, actor: 'agent:a1', at: minutes(20 * count) }, policy);
      expect(state.complaint.escalationLevel).toBe(Math.min(count, 3));
      expect(notices.some((n) => n.event === 'escalated')).toBe(count > 1);
      complaint = { ...state.complaint, status: 'closed', timeline: [...state.complaint.timeline, { at: minutes(20 * count + 1), type: 'closed', actor: 'system', data: {} }] };
    }
    expect(reopenProblem(complaint, agent, new Date(minutes(20 * caseLimits.reopens + 2)), policy)?.message).toMatch(/most a case takes/);
  });
});
