import { describe, expect, it } from 'vitest';
import type { Actor, Category, Severity } from '../../domain/complaint-schema';
import {
  acceptRequest, applyAction, applyHandlerAnswer, applyTimer, handlerMessage, isFinal, openCase, pendingRequests, pendingTimers,
  rejectAction, type Action, type CaseState,
} from '../../domain/lifecycle';
import { caseLimits } from '../../domain/case-limits';
import { revisionAbove } from '../../domain/case-state';
import { parseSlaPolicy, resolveSlaPolicy } from '../../domain/sla-policy';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const consumer: Actor = { role: 'consumer', sub: 'u1' };
const agent: Actor = { role: 'agent', sub: 'a1' };
const supervisor: Actor = { role: 'supervisor', sub: 's1' };
const quality: Actor = { role: 'department', sub: 'q1', department: 'quality' };
const legal: Actor = { role: 'department', sub: 'l1', department: 'legal' };

const receivedAt = '2026-11-23T02:00:00.000Z'; // Monday 10:00 in Shanghai
const minutes = (n: number) => new Date(Date.parse(receivedAt) + n * 60_000).toISOString();

function open(category: Category = 'quality', severity: Severity = 'general', policy = loadSlaPolicy(undefined).forSeverity(severity)) {
  return openCase({
    id: 'c1',
    receivedAt,
    actor: 'consumer:u1',
    policy,
    intake: sampleIntake({ category, severity }),
  });
}

/** Applies an action, insisting it is allowed. */
function act(state: CaseState, action: Action, actor: Actor, at: string) {
  expect(rejectAction(state, action, actor)).toBeNull();
  return applyAction(state, action, actor, at);
}

const types = (state: CaseState) => state.complaint.timeline.map((e) => e.type);

describe('intake', () => {
  it('opens in received with acknowledge (24 h) and resolve (7 working days) deadlines from intake', () => {
    const { state, notices } = open();
    expect(state.complaint).toMatchObject({ status: 'received', escalationLevel: 1, slaPolicyVersion: 'cn-2026.1' });
    expect(state.complaint.deadlines).toEqual({
      acknowledge: '2026-11-24T02:00:00.000Z',
      resolve: '2026-12-02T02:00:00.000Z', // Monday + 7 working days = Wednesday next week
    });
    expect(notices).toEqual([
      expect.objectContaining({
        recipient: 'consumer', event: 'received',
        data: expect.objectContaining({ expectedCompletion: '2026-12-02T02:00:00.000Z', progress: 'received', method: expect.any(String) }),
      }),
    ]);
    expect(JSON.stringify(notices)).not.toContain('13800138000');
  });

  it('routes departments by category', () => {
    expect(open('quality').state.complaint.departments).toEqual(['quality']);
    expect(open('logistics').state.complaint.departments).toEqual(['logistics']);
    expect(open('false_advertising').state.complaint.departments).toEqual(['legal']);
    expect(open('legal').state.complaint.departments).toEqual(['legal']);
    expect(open('service').state.complaint.departments).toEqual([]);
  });

  it('starts the emergency path for urgent cases: 12 h to acknowledge, 24 h to resolve, supervisor told', () => {
    const { state, notices } = open('quality', 'urgent');
    expect(state.complaint.deadlines).toEqual({ acknowledge: '2026-11-23T14:00:00.000Z', resolve: '2026-11-24T02:00:00.000Z' });
    expect(notices.map((n) => `${n.event}>${n.recipient}`)).toContain('emergency>supervisor');
    expect(types(state)).toContain('emergency_path_started');
  });
});

describe('the status machine', () => {
  it('runs the whole lifecycle, recording every transition and actor', () => {
    const { state } = open('false_advertising');
    act(state, { type: 'acknowledge', input: { note: 'on it' } }, agent, minutes(10));
    expect(state.complaint.status).toBe('investigating');
    expect(state.complaint.assignee).toBe('a1');
    expect(state.complaint.deadlines.investigate).toBe('2026-11-26T02:10:00.000Z'); // 3 working days after acknowledgement

    act(state, { type: 'addDepartments', input: { add: ['quality'] } }, agent, minutes(11));
    act(state, { type: 'submitFindings', input: { department: 'legal', summary: 'Ad overstated', responsibleParty: 'merchant' } }, legal, minutes(20));
    expect(state.complaint.status).toBe('investigating'); // quality has not answered yet
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant' } }, quality, minutes(30));
    expect(state.complaint.status).toBe('planning');
    expect(state.complaint.deadlines.plan).toBe('2026-11-25T02:30:00.000Z'); // 2 working days after the investigation

    act(state, { type: 'proposePlan', input: { remedy: 'apology', description: 'Apology and voucher', amount: 199, currency: 'CNY' } }, agent, minutes(40));
    expect(state.complaint).toMatchObject({ status: 'awaiting_feedback', plan: { version: 1, amount: 199 } });
    act(state, { type: 'giveFeedback', input: { accepted: true } }, consumer, minutes(50));
    expect(state.complaint.status).toBe('fulfilling');
    const resolved = act(state, { type: 'completeFulfilment', input: { done: true } }, agent, minutes(60));
    expect(state.complaint.status).toBe('resolved');
    expect(resolved.map((n) => n.event)).toEqual(['resolved', 'satisfaction_request']);
    expect(state.complaint.deadlines.revisit).toBe(new Date(Date.parse(minutes(60)) + 7 * 86_400_000).toISOString());
    act(state, { type: 'rateSatisfaction', input: { score: 5, comment: 'Quick' } }, consumer, minutes(70));

    expect(state.complaint.status).toBe('closed');
    expect(isFinal(state)).toBe(true);
    expect(state.complaint.satisfaction).toEqual({ score: 5, comment: 'Quick', at: minutes(70) });
    expect(state.complaint.breaches).toEqual([]);
    expect(state.complaint.timeline.map((e) => `${e.type}@${e.actor}`)).toEqual([
      'received@consumer:u1', 'acknowledged@agent:a1', 'investigation_started@system', 'departments_added@agent:a1',
      'findings_submitted@department:l1', 'findings_submitted@department:q1', 'investigation_completed@system',
      'plan_proposed@agent:a1', 'plan_accepted@consumer:u1', 'fulfilled@agent:a1', 'resolved@system',
      'satisfaction_received@consumer:u1', 'closed@system',
    ]);
    expect(state.complaint.revision).toBe(state.complaint.timeline.length);
    expect(pendingTimers(state)).toEqual([]);
  });

  it('returns a rejected plan to planning with the comment, and proposes the next version', () => {
    const { state } = open('quality');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, agent, minutes(2));
    act(state, { type: 'proposePlan', input: { remedy: 'apology', description: 'Sorry', currency: 'CNY' } }, agent, minutes(3));
    const notices = act(state, { type: 'giveFeedback', input: { accepted: false, comment: 'I want a refund' } }, consumer, minutes(4));
    expect(state.complaint.status).toBe('planning');
    expect(state.complaint.feedback).toEqual([{ accepted: false, comment: 'I want a refund', planVersion: 1, at: minutes(4) }]);
    expect(state.complaint.timeline.at(-1)).toMatchObject({ type: 'plan_rejected', data: { comment: 'I want a refund', version: 1 } });
    expect(notices).toEqual([expect.objectContaining({ event: 'plan_rejected', recipient: 'assignee' })]);
    expect(state.clocks.plan?.startedAt).toBe(minutes(4));

    act(state, { type: 'proposePlan', input: { remedy: 'refund', description: 'Refund', amount: 50, currency: 'CNY' } }, agent, minutes(5));
    expect(state.complaint.plan).toMatchObject({ version: 2, remedy: 'refund' });
    expect(state.clocks.feedback?.startedAt).toBe(minutes(5));
  });

  it('refuses actions the current state does not allow, naming the state', () => {
    const { state } = open();
    expect(rejectAction(state, { type: 'proposePlan', input: { remedy: 'refund', description: 'x', currency: 'CNY' } }, agent)).toEqual({
      kind: 'invalid_state', message: 'Cannot propose a plan for a complaint in state received.',
    });
    expect(rejectAction(state, { type: 'rateSatisfaction', input: { score: 3 } }, consumer)?.kind).toBe('invalid_state');
    expect(rejectAction(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'none' } }, quality)?.kind).toBe('invalid_state');
  });

  it('hides other consumers\' complaints and keeps departments to their own findings', () => {
    const { state } = open();
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    expect(rejectAction(state, { type: 'withdraw', input: {} }, { role: 'consumer', sub: 'u2' })?.kind).toBe('not_found');
    expect(rejectAction(state, { type: 'withdraw', input: {} }, agent)?.kind).toBe('forbidden');
    expect(rejectAction(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'none' } }, legal)?.kind).toBe('forbidden');
  });

  it('takes findings only from departments assigned to the case: not found for a department, a conflict for an agent', () => {
    const { state } = open('service');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    const legalFindings: Action = { type: 'submitFindings', input: { department: 'legal', summary: 's', responsibleParty: 'platform' } };
    expect(rejectAction(state, legalFindings, legal)).toMatchObject({ kind: 'not_found', message: 'No complaint c1.' });
    expect(rejectAction(state, legalFindings, agent)).toMatchObject({ kind: 'invalid_state', message: expect.stringMatching(/not assigned/) });
    act(state, { type: 'addDepartments', input: { add: ['legal'] } }, agent, minutes(2));
    act(state, legalFindings, legal, minutes(3));
    expect(state.complaint.status).toBe('planning');
  });

  it('keeps the evidence links given with findings', () => {
    const { state } = open('quality');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant', evidence: ['https://lab.example/report.pdf'] } }, quality, minutes(2));
    expect(state.complaint.findings[0]).toMatchObject({ evidence: ['https://lab.example/report.pdf'] });
  });

  it('withdraws before resolution only, and nothing is pending afterwards', () => {
    const { state } = open();
    act(state, { type: 'withdraw', input: { reason: 'solved myself' } }, consumer, minutes(1));
    expect(state.complaint.status).toBe('withdrawn');
    expect(isFinal(state)).toBe(true);
    expect(pendingTimers(state)).toEqual([]);

    const resolved = open().state;
    act(resolved, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(resolved, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, agent, minutes(2));
    act(resolved, { type: 'proposePlan', input: { remedy: 'apology', description: 'r', currency: 'CNY' } }, agent, minutes(3));
    act(resolved, { type: 'giveFeedback', input: { accepted: true } }, consumer, minutes(4));
    act(resolved, { type: 'completeFulfilment', input: { done: true } }, agent, minutes(5));
    expect(rejectAction(resolved, { type: 'withdraw', input: {} }, consumer)).toMatchObject({ kind: 'invalid_state', message: expect.stringContaining('resolved') });
  });

  it('escalates by hand one level or to a chosen level, never past 3 or downwards', () => {
    const { state } = open();
    const notices = act(state, { type: 'escalate', input: { reason: 'VIP customer' } }, supervisor, minutes(1));
    expect(state.complaint.escalationLevel).toBe(2);
    expect(notices).toEqual([expect.objectContaining({ event: 'escalated', recipient: 'supervisor', data: expect.objectContaining({ from: 1, to: 2 }) })]);
    expect(rejectAction(state, { type: 'escalate', input: { reason: 'x', level: 2 } }, supervisor)?.kind).toBe('invalid_state');
    act(state, { type: 'escalate', input: { reason: 'press', level: 3 } }, supervisor, minutes(2));
    expect(rejectAction(state, { type: 'escalate', input: { reason: 'x' } }, supervisor)?.message).toMatch(/level 4.*level 3/);
  });
});

describe('deadlines, breaches and warnings', () => {
  const fast = (overrides: Record<string, unknown> = {}) =>
    resolveSlaPolicy(
      parseSlaPolicy({ policies: { general: { acknowledge: '10m', investigate: '10m', plan: '10m', feedback: '10m', resolve: '100m', revisit: '20m', ...overrides } } }),
      'general',
      'test',
    );

  it('warns at 80 % and breaches at the deadline, escalating once per breach', () => {
    const { state } = open('quality', 'general', fast());
    const [warning, breach] = pendingTimers(state);
    expect(warning).toEqual({ kind: 'warning', stage: 'acknowledge', at: minutes(8) });
    expect(breach).toEqual({ kind: 'breach', stage: 'acknowledge', at: minutes(10) });

    const warned = applyTimer(state, warning!, minutes(8));
    expect(warned).toEqual([expect.objectContaining({ event: 'deadline_warning', recipient: 'assignee', data: expect.objectContaining({ stage: 'acknowledge' }) })]);
    const breached = applyTimer(state, breach!, minutes(10));
    expect(state.complaint.breaches).toEqual([{ stage: 'acknowledge', deadline: minutes(10), at: minutes(10) }]);
    expect(state.complaint.escalationLevel).toBe(2);
    expect(state.complaint.status).toBe('received'); // the case goes on
    expect(breached.map((n) => `${n.event}>${n.recipient}`)).toEqual(['deadline_breached>supervisor', 'escalated>supervisor']);
    // Later deadlines still apply.
    expect(pendingTimers(state).map((t) => `${t.kind}:${t.stage}`)).toEqual(['warning:resolve', 'breach:resolve']);
  });

  it('records a breach when a stage finishes late before its timer was seen', () => {
    const { state } = open('quality', 'general', fast());
    const notices = act(state, { type: 'acknowledge', input: {} }, agent, minutes(11));
    expect(state.complaint.breaches).toEqual([{ stage: 'acknowledge', deadline: minutes(10), at: minutes(11) }]);
    expect(state.complaint.escalationLevel).toBe(2);
    expect(notices[0]).toMatchObject({ event: 'deadline_breached' });
  });

  it('never escalates past level 3 however many deadlines are missed', () => {
    const { state } = open('quality', 'general', fast({ acknowledge: '1m', resolve: '2m' }));
    act(state, { type: 'escalate', input: { reason: 'x', level: 3 } }, supervisor, minutes(0));
    for (const timer of pendingTimers(state).filter((t) => t.kind === 'breach')) applyTimer(state, timer, timer.at);
    expect(state.complaint.breaches.map((b) => b.stage)).toEqual(['acknowledge', 'resolve']);
    expect(state.complaint.escalationLevel).toBe(3);
  });

  it('escalates an unanswered plan with the reason, without closing the case', () => {
    const { state } = open('quality', 'general', fast());
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, agent, minutes(2));
    act(state, { type: 'proposePlan', input: { remedy: 'refund', description: 'r', currency: 'CNY' } }, agent, minutes(3));
    const expiry = pendingTimers(state).find((t) => t.stage === 'feedback')!;
    expect(expiry).toEqual({ kind: 'breach', stage: 'feedback', at: minutes(13) });
    applyTimer(state, expiry, minutes(13));
    expect(state.complaint.status).toBe('awaiting_feedback');
    expect(state.complaint.escalationLevel).toBe(2);
    expect(state.complaint.timeline.at(-2)).toMatchObject({ type: 'feedback_window_expired', data: { reason: expect.stringContaining('did not answer plan v1') } });
  });

  it('reminds at half the revisit window and closes as unanswered at its end', () => {
    const { state } = open('quality', 'general', fast());
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, agent, minutes(2));
    act(state, { type: 'proposePlan', input: { remedy: 'apology', description: 'r', currency: 'CNY' } }, agent, minutes(3));
    act(state, { type: 'giveFeedback', input: { accepted: true } }, consumer, minutes(4));
    act(state, { type: 'completeFulfilment', input: { done: true } }, agent, minutes(5));
    const [reminder, expiry] = pendingTimers(state);
    expect(reminder).toEqual({ kind: 'reminder', stage: 'revisit', at: minutes(15) });
    expect(expiry).toEqual({ kind: 'expiry', stage: 'revisit', at: minutes(25) });
    expect(applyTimer(state, reminder!, minutes(15))).toEqual([expect.objectContaining({ event: 'satisfaction_reminder', recipient: 'consumer' })]);
    applyTimer(state, expiry!, minutes(25));
    expect(state.complaint.status).toBe('closed');
    expect(state.complaint.satisfaction).toBeUndefined();
    expect(state.complaint.timeline.at(-1)).toMatchObject({ type: 'closed', data: { revisit: 'no_answer' } });
    expect(state.complaint.breaches).toEqual([]);
  });

  it('keeps every notice key unique within a case', () => {
    const { state, notices } = open('quality', 'general', fast());
    const all = [...notices];
    for (let i = 0; i < 10; i++) {
      const next = pendingTimers(state)[0];
      if (!next) break;
      all.push(...applyTimer(state, next, next.at));
    }
    const ids = all.map((n) => `${n.key}:${n.recipient}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('handler requests', () => {
  const toFulfilling = (remedy: 'refund' | 'replacement' | 'repair' | 'apology', category: Category = 'quality') => {
    const { state } = open(category);
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    for (const department of [...state.complaint.departments]) {
      act(state, { type: 'submitFindings', input: { department, summary: 's', responsibleParty: 'merchant' } }, agent, minutes(2));
    }
    act(state, { type: 'proposePlan', input: { remedy, description: 'r', amount: 99, currency: 'CNY' } }, agent, minutes(3));
    act(state, { type: 'giveFeedback', input: { accepted: true } }, consumer, minutes(4));
    return state;
  };

  it('asks each routed department when the investigation starts, without personal data', () => {
    const { state } = open('false_advertising');
    expect(pendingRequests(state)).toEqual([]);
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    expect(pendingRequests(state)).toEqual([{ key: 'investigation:legal', handler: 'legal', kind: 'investigation', status: 'pending', at: minutes(1) }]);
    act(state, { type: 'addDepartments', input: { add: ['quality', 'legal'] } }, agent, minutes(2));
    expect(pendingRequests(state).map((r) => r.key)).toEqual(['investigation:legal', 'investigation:quality']);

    const message = handlerMessage(state, 'investigation:quality');
    expect(message).toMatchObject({ requestId: 'c1:investigation:quality', kind: 'investigation', case: { orderId: 'o1' }, respondBy: state.complaint.deadlines.investigate });
    expect(JSON.stringify(message)).not.toMatch(/Li Wei|13800138000/);
  });

  it('completes a department\'s part with the findings of its handler', () => {
    const { state } = open('quality');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    applyHandlerAnswer(state, 'investigation:quality', { outcome: 'accepted' }, minutes(2));
    expect(state.complaint.requests[0]!.status).toBe('accepted');
    applyHandlerAnswer(state, 'investigation:quality', { outcome: 'done', findings: { summary: 'Seal defect', responsibleParty: 'merchant' } }, minutes(3));
    expect(state.complaint.status).toBe('planning');
    expect(state.complaint.findings).toEqual([{ department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant', at: minutes(3) }]);
    expect(state.complaint.timeline.find((e) => e.type === 'findings_submitted')?.actor).toBe('handler:quality');
    // A repeated answer changes nothing.
    const revision = state.complaint.revision;
    expect(applyHandlerAnswer(state, 'investigation:quality', { outcome: 'done', findings: { summary: 'x', responsibleParty: 'none' } }, minutes(4))).toEqual([]);
    expect(state.complaint.revision).toBe(revision);
  });

  // Decision 026: the record applies the acceptance to the snapshot it writes, the workflow to its
  // state; both must end with the same complaint.
  it('accepts a handed-over request once, the same way the workflow applies an accepted answer', () => {
    const inWorkflow = open('false_advertising').state;
    act(inWorkflow, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(inWorkflow, { type: 'addDepartments', input: { add: ['quality'] } }, agent, minutes(1));
    const snapshot = structuredClone(inWorkflow.complaint);
    for (const key of ['investigation:legal', 'investigation:quality']) {
      applyHandlerAnswer(inWorkflow, key, { outcome: 'accepted' }, minutes(2));
      acceptRequest(snapshot, key, minutes(2));
    }
    expect(snapshot).toEqual(inWorkflow.complaint);
    expect(snapshot.requests.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(snapshot.timeline.slice(-2)).toEqual([
      { at: minutes(2), type: 'handler_accepted', actor: 'handler:legal', data: { key: 'investigation:legal', kind: 'investigation' } },
      { at: minutes(2), type: 'handler_accepted', actor: 'handler:quality', data: { key: 'investigation:quality', kind: 'investigation' } },
    ]);
    // Once only, and never for a request already answered.
    const revision = snapshot.revision;
    acceptRequest(snapshot, 'investigation:legal', minutes(3));
    act(inWorkflow, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, quality, minutes(3));
    acceptRequest(inWorkflow.complaint, 'investigation:quality', minutes(4));
    acceptRequest(snapshot, 'investigation:unknown', minutes(4));
    expect(snapshot.revision).toBe(revision);
    expect(inWorkflow.complaint.requests.find((r) => r.key === 'investigation:quality')!.status).toBe('done');
  });

  // Decision 026: a snapshot written ahead (R + its acceptances) while the case moved on: the
  // case's next revision passes it, or the store (newer revisions only) would keep the stale one.
  it('puts the case\'s revision above a snapshot written ahead of it, never below where it is', () => {
    const { state } = open('quality');
    const at = state.complaint.revision;
    revisionAbove(state.complaint, at + 2);
    expect(state.complaint.revision).toBe(at + 3);
    revisionAbove(state.complaint, at);
    expect(state.complaint.revision).toBe(at + 3);
  });

  it('marks a department\'s request done when its staff answer through the API', () => {
    const { state } = open('quality');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    applyHandlerAnswer(state, 'investigation:quality', { outcome: 'accepted' }, minutes(2));
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, quality, minutes(3));
    expect(state.complaint.requests[0]).toMatchObject({ status: 'done' });
  });

  it('records a refused request with its reason and tells the agent and the supervisor', () => {
    const { state } = open('quality');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    const notices = applyHandlerAnswer(state, 'investigation:quality', { outcome: 'failed', reason: '400 unknown order' }, minutes(2));
    expect(state.complaint.requests[0]).toMatchObject({ status: 'failed', reason: '400 unknown order' });
    expect(state.complaint.timeline.at(-1)).toMatchObject({ type: 'handler_request_failed', data: { reason: '400 unknown order' } });
    expect(notices.map((n) => n.recipient)).toEqual(['assignee', 'supervisor']);
    expect(state.complaint.status).toBe('investigating'); // staff can still answer by hand
  });

  it('pays a refund through payments, keyed by plan version, and resolves on confirmation', () => {
    const state = toFulfilling('refund');
    expect(pendingRequests(state)).toEqual([expect.objectContaining({ key: 'refund:v1', handler: 'payments', planVersion: 1 })]);
    expect(handlerMessage(state, 'refund:v1').plan).toMatchObject({ remedy: 'refund', amount: 99, currency: 'CNY', version: 1 });
    const notices = applyHandlerAnswer(state, 'refund:v1', { outcome: 'done', reference: 'txn-1' }, minutes(5));
    expect(state.complaint.status).toBe('resolved');
    expect(state.complaint.requests.at(-1)).toMatchObject({ status: 'done', reference: 'txn-1' });
    expect(state.complaint.timeline.find((e) => e.type === 'fulfilled')).toMatchObject({ actor: 'handler:payments', data: { reference: 'txn-1' } });
    expect(notices.map((n) => n.event)).toEqual(['resolved', 'satisfaction_request']);
  });

  it('sends replacements through logistics and gives repairs 48 hours', () => {
    expect(pendingRequests(toFulfilling('replacement', 'logistics'))).toEqual([
      expect.objectContaining({ key: 'replacement:v1', handler: 'logistics', kind: 'replacement' }),
    ]);
    const repair = toFulfilling('repair');
    expect(repair.complaint.deadlines.repair).toBe(new Date(Date.parse(minutes(4)) + 48 * 3_600_000).toISOString());
    expect(pendingTimers(repair).map((t) => `${t.kind}:${t.stage}`)).toContain('breach:repair');
    const apology = toFulfilling('apology');
    expect(pendingRequests(apology)).toEqual([]); // an agent confirms it by hand
  });

  it('confirming fulfilment by hand settles the open remedy request of its owner', () => {
    const state = toFulfilling('replacement', 'logistics');
    const logistics: Actor = { role: 'department', sub: 'g1', department: 'logistics' };
    act(state, { type: 'completeFulfilment', input: { done: true } }, logistics, minutes(6));
    expect(state.complaint.status).toBe('resolved');
    expect(state.complaint.requests.at(-1)).toMatchObject({ status: 'done', reference: 'confirmed by hand' });
    expect(applyHandlerAnswer(state, 'replacement:v1', { outcome: 'done', reference: 'late' }, minutes(7))).toEqual([]);
  });

  it('never lets a payment be confirmed by a department, nor by anyone while its call is in flight', () => {
    const state = toFulfilling('refund');
    const logistics: Actor = { role: 'department', sub: 'g1', department: 'logistics' };
    const done: Action = { type: 'completeFulfilment', input: { done: true } };
    expect(rejectAction(state, done, logistics)).toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/payments/) });
    expect(rejectAction(state, done, agent)).toMatchObject({ kind: 'invalid_state', message: expect.stringMatching(/could pay twice/) });
    // The payment service took it (202, or a manual task): its confirmation comes by hand.
    applyHandlerAnswer(state, 'refund:v1', { outcome: 'accepted' }, minutes(5));
    expect(rejectAction(state, done, logistics)?.kind).toBe('forbidden');
    act(state, done, agent, minutes(6));
    expect(state.complaint.status).toBe('resolved');
    expect(applyHandlerAnswer(state, 'refund:v1', { outcome: 'done', reference: 'late' }, minutes(7))).toEqual([]);
  });

  it('lets no department confirm a remedy that has no part for it', () => {
    const state = toFulfilling('apology');
    const logistics: Actor = { role: 'department', sub: 'g1', department: 'logistics' };
    expect(rejectAction(state, { type: 'completeFulfilment', input: { done: true } }, logistics)?.kind).toBe('forbidden');
    act(state, { type: 'completeFulfilment', input: { done: true } }, agent, minutes(6));
    expect(state.complaint.status).toBe('resolved');
  });
});

describe('what a case may accumulate', () => {
  it('takes at most three findings per department', () => {
    const { state } = open('quality');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(state, { type: 'addDepartments', input: { add: ['legal'] } }, agent, minutes(1));
    const findings: Action = { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } };
    for (let i = 0; i < caseLimits.findingsPerDepartment; i++) act(state, findings, quality, minutes(2 + i));
    expect(rejectAction(state, findings, quality)).toMatchObject({ kind: 'invalid_state', message: expect.stringMatching(/most a case takes \(3\)/) });
  });

  it('takes at most ten plans, so ten rounds of feedback', () => {
    const { state } = open('quality');
    act(state, { type: 'acknowledge', input: {} }, agent, minutes(1));
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, quality, minutes(2));
    const plan: Action = { type: 'proposePlan', input: { remedy: 'refund', description: 'r', currency: 'CNY' } };
    for (let round = 1; round <= caseLimits.plans; round++) {
      act(state, plan, agent, minutes(2 + round));
      act(state, { type: 'giveFeedback', input: { accepted: false, comment: 'no' } }, consumer, minutes(2 + round));
    }
    expect(rejectAction(state, plan, agent)).toMatchObject({ kind: 'invalid_state', message: expect.stringMatching(/10 plans/) });
    expect(rejectAction(state, { type: 'withdraw', input: {} }, consumer)).toBeNull();
  });
});
