import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/complaint-schema';
import { clockTimesOf, clocksOf, nextDeadlineOf, slaOf } from '../../domain/case-clocks';
import { applyAction, applyTimer, openCase, pendingTimers, rejectAction, type Action, type CaseState } from '../../domain/lifecycle';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const consumer: Actor = { role: 'consumer', sub: 'u1' };
const agent: Actor = { role: 'agent', sub: 'a1' };
const quality: Actor = { role: 'department', sub: 'q1', department: 'quality' };
const receivedAt = '2026-11-23T02:00:00.000Z'; // Monday 10:00 in Shanghai
const hours = (n: number) => new Date(Date.parse(receivedAt) + n * 3_600_000).toISOString();
const at = (n: number) => new Date(hours(n));

const open = () =>
  openCase({ id: 'c1', receivedAt, actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'), intake: sampleIntake({ category: 'quality' }) }).state;
function act(state: CaseState, action: Action, actor: Actor, when: string) {
  expect(rejectAction(state, action, actor)).toBeNull();
  applyAction(state, action, actor, when);
}

/** The screens' clocks are the workflow's own: same start, due and warning instants as its timers. */
function expectSameAsWorkflow(state: CaseState) {
  const shown = new Map(clockTimesOf(state.complaint).map((c) => [c.stage, c]));
  for (const [stage, clock] of Object.entries(state.clocks)) {
    expect(shown.get(stage as never)).toMatchObject({ startedAt: clock.startedAt, dueAt: clock.deadline, breached: clock.breached });
  }
  for (const timer of pendingTimers(state).filter((t) => t.kind === 'warning')) {
    expect(shown.get(timer.stage)?.warningAt).toBe(timer.at);
  }
}

describe('case clocks', () => {
  it('follow the workflow through a whole case: start, warning and due times are its timers\'', () => {
    const state = open();
    expectSameAsWorkflow(state);
    act(state, { type: 'acknowledge', input: {} }, agent, hours(2));
    expectSameAsWorkflow(state);
    act(state, { type: 'submitFindings', input: { department: 'quality', summary: 'Seal faulty', responsibleParty: 'merchant' } }, quality, hours(20));
    expectSameAsWorkflow(state);
    act(state, { type: 'proposePlan', input: { remedy: 'repair', description: 'Repair', currency: 'CNY' } }, agent, hours(21));
    act(state, { type: 'giveFeedback', input: { accepted: false, comment: 'No' } }, consumer, hours(22));
    expectSameAsWorkflow(state);
    act(state, { type: 'proposePlan', input: { remedy: 'repair', description: 'Repair, courier both ways', currency: 'CNY' } }, agent, hours(23));
    act(state, { type: 'giveFeedback', input: { accepted: true } }, consumer, hours(24));
    expectSameAsWorkflow(state);

    const clocks = clocksOf(state.complaint, at(25));
    expect(clocks.map((c) => [c.stage, c.state])).toEqual([
      ['acknowledge', 'met'], ['investigate', 'met'], ['plan', 'met'], ['feedback', 'met'], ['repair', 'running'], ['resolve', 'running'],
    ]);
    expect(clocks.find((c) => c.stage === 'acknowledge')).toMatchObject({ finishedAt: hours(2), tookMs: 2 * 3_600_000 });
    // The second plan clock started at the rejection and finished with the revised plan.
    expect(clocks.find((c) => c.stage === 'plan')).toMatchObject({ startedAt: hours(22), finishedAt: hours(23), tookMs: 3_600_000 });
    expect(clocks.find((c) => c.stage === 'repair')).toMatchObject({ startedAt: hours(24), dueAt: hours(72), warningAt: hours(24 + 48 * 0.8) });
  });

  it('a deadline passing makes the badge at risk, then breached by how long, before and after the workflow records it', () => {
    const state = open();
    const acknowledge = state.clocks.acknowledge!;
    expect(slaOf(clocksOf(state.complaint, at(1)), at(1))).toMatchObject({ state: 'on_track', stage: 'acknowledge', dueAt: acknowledge.deadline });
    expect(slaOf(clocksOf(state.complaint, at(20)), at(20))).toMatchObject({ state: 'at_risk', stage: 'acknowledge', warningAt: hours(24 * 0.8) });
    expect(slaOf(clocksOf(state.complaint, at(25)), at(25))).toEqual(expect.objectContaining({ state: 'breached', stage: 'acknowledge', overdueMs: 3_600_000 }));
    applyTimer(state, { kind: 'breach', stage: 'acknowledge', at: acknowledge.deadline }, hours(24));
    expect(clocksOf(state.complaint, at(26))[0]).toMatchObject({ stage: 'acknowledge', state: 'breached', overdueMs: 2 * 3_600_000 });
    // Acknowledged late: the clock stays breached by the time it took beyond its due.
    act(state, { type: 'acknowledge', input: {} }, agent, hours(27));
    expect(clocksOf(state.complaint, at(30))[0]).toMatchObject({ state: 'breached', finishedAt: hours(27), overdueMs: 3 * 3_600_000 });
    expect(slaOf(clocksOf(state.complaint, at(30)), at(30)).state).toBe('on_track'); // the running ones are in time
  });

  it('a withdrawn case stops its open clocks (paused) and has no next deadline; the read model sorts by the open one due first', () => {
    const state = open();
    expect(nextDeadlineOf(clockTimesOf(state.complaint))).toEqual({
      nextDeadline: state.clocks.acknowledge!.deadline, nextDeadlineStage: 'acknowledge', riskFrom: hours(24 * 0.8),
    });
    act(state, { type: 'withdraw', input: {} }, consumer, hours(3));
    expect(clocksOf(state.complaint, at(4)).map((c) => c.state)).toEqual(['paused', 'paused']);
    expect(nextDeadlineOf(clockTimesOf(state.complaint))).toBeNull();
    expect(slaOf(clocksOf(state.complaint, at(4)), at(4)).state).toBe('none');
  });
});
