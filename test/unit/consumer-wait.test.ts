import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/complaint-schema';
import { clocksOf, slaOf } from '../../domain/case-clocks';
import { caseLimits } from '../../domain/case-limits';
import {
  applyAction, applyHandlerAnswer, applyTimer, awaitingFindingsFrom, openCase, pendingTimers, rejectAction, type Action, type CaseState,
} from '../../domain/lifecycle';
import { parseSlaPolicy, resolveSlaPolicy } from '../../domain/sla-policy';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const consumer: Actor = { role: 'consumer', sub: 'u1' };
const agent: Actor = { role: 'agent', sub: 'a1' };
const quality: Actor = { role: 'department', sub: 'q1', department: 'quality' };
const legal: Actor = { role: 'department', sub: 'l1', department: 'legal' };

const receivedAt = '2026-11-23T02:00:00.000Z'; // Monday 10:00 in Shanghai
const minutes = (n: number) => new Date(Date.parse(receivedAt) + n * 60_000).toISOString();
const hours = (n: number) => minutes(n * 60);

/** Calendar-time stages: a pause moves them by exactly the time paused. */
const calendarPolicy = (overrides: Record<string, unknown> = {}) =>
  resolveSlaPolicy(
    parseSlaPolicy({ policies: { general: { acknowledge: '10m', investigate: '100m', plan: '100m', feedback: '10m', resolve: '1000m', revisit: '20m', ...overrides } } }),
    'general',
    'test',
  );

function acknowledged(policy = calendarPolicy(), category: 'quality' | 'service' = 'quality'): CaseState {
  const { state } = openCase({ id: 'c1', receivedAt, actor: 'consumer:u1', policy, intake: sampleIntake({ category }) });
  act(state, { type: 'acknowledge', input: {} }, agent, receivedAt);
  return state;
}

function act(state: CaseState, action: Action, actor: Actor, at: string) {
  expect(rejectAction(state, action, actor)).toBeNull();
  return applyAction(state, action, actor, at);
}

const ask = (state: CaseState, at: string, who: Actor = agent) =>
  act(state, { type: 'requestInformation', input: { question: 'A photo of the leak, please', needed: ['photo'] } }, who, at);
const answer = (state: CaseState, at: string) => act(state, { type: 'provideInformation', input: { text: 'Here', evidence: ['https://img.example/1.jpg'] } }, consumer, at);

describe('asking the consumer', () => {
  it('stops the investigation and resolve clocks; no warning or breach timer runs while the case waits', () => {
    const state = acknowledged();
    const notices = ask(state, minutes(30));
    expect(state.complaint.status).toBe('awaiting_consumer');
    expect(state.complaint.informationRequests).toEqual([
      expect.objectContaining({ key: 'information:1', status: 'open', resumeStatus: 'investigating', pausedStages: ['investigate', 'resolve'], replyBy: hours(0.5 + 72) }),
    ]);
    expect(notices).toEqual([expect.objectContaining({ key: 'information_request:1', event: 'information_request', recipient: 'consumer' })]);
    // Only the reply clock's reminder (half of 3 days) and its end.
    expect(pendingTimers(state).map((t) => `${t.kind}@${t.at}`)).toEqual([`information_reminder@${hours(0.5 + 36)}`, `information_expiry@${hours(0.5 + 72)}`]);
    const clocks = clocksOf(state.complaint, new Date(minutes(500)));
    expect(clocks.map((c) => `${c.stage}:${c.state}`)).toEqual(['acknowledge:met', 'investigate:paused', 'resolve:paused']);
    // The badge says paused (not "no deadline"), at the deadline it stands at; the inbox still waits on quality.
    expect(slaOf(clocks, new Date(minutes(500)), true)).toMatchObject({ state: 'paused', stage: 'investigate', dueAt: state.complaint.deadlines.investigate });
    expect(awaitingFindingsFrom(state.complaint)).toEqual(['quality']);
  });

  it('an answer resumes the stage with the time it had left: both deadlines move by exactly the wait', () => {
    const state = acknowledged();
    const before = { ...state.complaint.deadlines };
    ask(state, minutes(30));
    const notices = answer(state, minutes(30 + 45));
    expect(state.complaint.status).toBe('investigating');
    const moved = (iso: string) => new Date(Date.parse(iso) + 45 * 60_000).toISOString();
    expect(state.complaint.deadlines.investigate).toBe(moved(before.investigate!));
    expect(state.complaint.deadlines.resolve).toBe(moved(before.resolve!));
    const entry = state.complaint.timeline.at(-1)!;
    expect(entry).toMatchObject({
      type: 'information_received', actor: 'consumer:u1',
      data: { key: 'information:1', pausedMs: 45 * 60_000, deadlines: { investigate: { from: before.investigate, to: moved(before.investigate!) } } },
    });
    expect(state.complaint.informationRequests![0]).toMatchObject({ status: 'answered', answer: { text: 'Here', evidence: ['https://img.example/1.jpg'] } });
    expect(notices.map((n) => `${n.event}>${n.recipient}`)).toEqual(['information_received>assignee']);
    // The warning and the breach move by the wait too: the stage keeps exactly what it had left.
    const timers = pendingTimers(state).filter((t) => t.stage === 'investigate');
    expect(timers.map((t) => t.kind)).toEqual(['warning', 'breach']);
    expect(timers[1]!.at).toBe(moved(before.investigate!));
    expect(timers[0]!.at).toBe(moved(minutes(80)));
    expect(clocksOf(state.complaint, new Date(minutes(80))).find((c) => c.stage === 'investigate')).toMatchObject({ state: 'running', dueAt: moved(before.investigate!), warningAt: timers[0]!.at });
  });

  it('counts a pause over a weekend in working time for working-day stages', () => {
    const wednesday = '2026-11-25T02:00:00.000Z'; // 10:00 in Shanghai
    const { state } = openCase({ id: 'c1', receivedAt: wednesday, actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'), intake: sampleIntake() });
    act(state, { type: 'acknowledge', input: {} }, agent, wednesday);
    // Three working days: Thursday, Friday, Monday 10:00.
    expect(state.complaint.deadlines).toMatchObject({ investigate: '2026-11-30T02:00:00.000Z', resolve: '2026-12-04T02:00:00.000Z' });
    // Asked Friday 12:00, answered Monday 09:00: 21 working hours waited (12 on Friday, 9 on
    // Monday), not the 69 calendar hours. Monday 10:00 + 21 working hours = Tuesday 07:00.
    ask(state, '2026-11-27T04:00:00.000Z');
    answer(state, '2026-11-30T01:00:00.000Z');
    expect(state.complaint.deadlines.investigate).toBe('2026-11-30T23:00:00.000Z');
    // Resolve: Friday 4 Dec 10:00 + 21 working hours = Monday 7 Dec 07:00 (the weekend skipped).
    expect(state.complaint.timeline.at(-1)!.data).toMatchObject({ deadlines: { resolve: { from: '2026-12-04T02:00:00.000Z', to: '2026-12-06T23:00:00.000Z' } } });
  });

  it('without an answer: a reminder at half the reply time, then the clocks resume and the assignee is told', () => {
    const state = acknowledged(calendarPolicy({ consumerReply: '60m' }));
    ask(state, minutes(10), quality);
    const [reminder, expiry] = pendingTimers(state);
    expect(reminder).toMatchObject({ kind: 'information_reminder', at: minutes(40) });
    expect(applyTimer(state, reminder!, reminder!.at).map((n) => `${n.key}>${n.recipient}`)).toEqual(['information_reminder:1>consumer']);
    expect(pendingTimers(state).map((t) => t.kind)).toEqual(['information_expiry']);
    const notices = applyTimer(state, expiry!, expiry!.at);
    expect(state.complaint.status).toBe('investigating');
    expect(state.complaint.informationRequests![0]!.status).toBe('unanswered');
    expect(state.complaint.timeline.at(-1)).toMatchObject({ type: 'information_not_received', data: { pausedMs: 60 * 60_000 } });
    // The department that asked hears too; the case is not closed.
    expect(notices.map((n) => `${n.event}>${n.recipient}`)).toEqual(['information_not_received>assignee', 'information_not_received>department:quality']);
    expect(state.complaint.deadlines.investigate).toBe(minutes(160));
  });

  it('pauses only the clocks the policy says, and never a clock past due', () => {
    const state = acknowledged(calendarPolicy({ pauses: { resolve: false } }));
    ask(state, minutes(30));
    expect(state.complaint.informationRequests![0]!.pausedStages).toEqual(['investigate']);
    expect(pendingTimers(state).some((t) => t.stage === 'resolve' && t.kind === 'warning')).toBe(true);

    // A stage the policy does not pause keeps running while the case waits: it warns and breaches on time.
    const running = acknowledged(calendarPolicy({ pauses: { investigate: false } }));
    ask(running, minutes(30));
    expect(running.complaint.informationRequests![0]!.pausedStages).toEqual(['resolve']);
    const breachTimer = pendingTimers(running).find((t) => t.stage === 'investigate' && t.kind === 'breach')!;
    expect(breachTimer.at).toBe(minutes(100));
    applyTimer(running, breachTimer, breachTimer.at);
    expect(running.complaint.breaches).toEqual([{ stage: 'investigate', deadline: minutes(100), at: minutes(100) }]);
    expect(clocksOf(running.complaint, new Date(minutes(101))).find((c) => c.stage === 'investigate')?.state).toBe('breached');

    // Due but not yet seen breached (the timer's task not run yet): not paused, it breaches.
    const due = acknowledged();
    ask(due, minutes(100));
    expect(due.complaint.informationRequests![0]!.pausedStages).toEqual(['resolve']);

    const late = acknowledged();
    const breach = pendingTimers(late).find((t) => t.stage === 'investigate' && t.kind === 'breach')!;
    applyTimer(late, pendingTimers(late)[0]!, breach.at);
    applyTimer(late, breach, breach.at);
    ask(late, minutes(120));
    expect(late.complaint.informationRequests![0]!.pausedStages).toEqual(['resolve']);
    answer(late, minutes(150));
    expect(late.complaint.deadlines.investigate).toBe(breach.at);
  });

  it('keeps findings that arrive while waiting; the investigation completes when the case resumes', () => {
    const state = acknowledged(calendarPolicy(), 'quality');
    act(state, { type: 'addDepartments', input: { add: ['legal'] } }, agent, minutes(1));
    act(state, { type: 'submitFindings', input: { department: 'legal', summary: 'ok', responsibleParty: 'none' } }, legal, minutes(2));
    ask(state, minutes(5));
    // A handler's answer while waiting is kept, not dropped.
    applyHandlerAnswer(state, 'investigation:quality', { outcome: 'done', findings: { summary: 'defect', responsibleParty: 'merchant' } }, minutes(6));
    expect(state.complaint.findings.map((f) => f.department)).toEqual(['legal', 'quality']);
    expect(state.complaint.status).toBe('awaiting_consumer');
    answer(state, minutes(20));
    expect(state.complaint.status).toBe('planning');
    expect(state.complaint.timeline.slice(-2).map((e) => e.type)).toEqual(['information_received', 'investigation_completed']);
  });

  it('an answer does not end an investigation no department has taken part in', () => {
    const state = acknowledged(calendarPolicy(), 'service');
    expect(state.complaint.departments).toEqual([]);
    ask(state, minutes(1));
    answer(state, minutes(2));
    expect(state.complaint.status).toBe('investigating');
  });

  it('resumes from the end of the reply time when its timer is seen late', () => {
    const state = acknowledged(calendarPolicy({ consumerReply: '60m' }));
    const before = state.complaint.deadlines.investigate!;
    ask(state, minutes(10));
    const expiry = pendingTimers(state).find((t) => t.kind === 'information_expiry')!;
    applyTimer(state, pendingTimers(state)[0]!, minutes(40));
    applyTimer(state, expiry, minutes(95)); // a worker was down for 25 minutes
    expect(state.complaint.deadlines.investigate).toBe(new Date(Date.parse(before) + 60 * 60_000).toISOString());
  });

  it('refuses what does not fit: asked twice at once, by a department not on the case, answered by others, past the limit', () => {
    const state = acknowledged();
    const question: Action = { type: 'requestInformation', input: { question: 'q' } };
    expect(rejectAction(state, question, { role: 'department', sub: 'x', department: 'logistics' })?.kind).toBe('not_found');
    expect(rejectAction(state, { type: 'provideInformation', input: { text: 't' } }, consumer)?.kind).toBe('invalid_state');
    ask(state, minutes(1));
    expect(rejectAction(state, question, agent)).toMatchObject({ kind: 'invalid_state', message: expect.stringMatching(/awaiting_consumer/) });
    expect(rejectAction(state, { type: 'provideInformation', input: { text: 't' } }, agent)?.kind).toBe('forbidden');
    expect(rejectAction(state, { type: 'provideInformation', input: { text: 't' } }, { role: 'consumer', sub: 'u2' })?.kind).toBe('not_found');
    answer(state, minutes(2));
    for (let i = 1; i < caseLimits.informationRequests; i++) {
      ask(state, minutes(3 + i));
      answer(state, minutes(3 + i));
    }
    expect(rejectAction(state, question, agent)?.message).toMatch(/most a case takes/);
  });

  it('a withdrawal while waiting ends the case and voids the question', () => {
    const state = acknowledged();
    ask(state, minutes(1));
    act(state, { type: 'withdraw', input: {} }, consumer, minutes(2));
    expect(state.complaint.status).toBe('withdrawn');
    expect(state.complaint.informationRequests![0]!.status).toBe('cancelled');
    expect(pendingTimers(state)).toEqual([]);
  });
});
