import { describe, expect, it } from 'vitest';
import { availableActions } from '../../domain/case-actions';
import type { Actor, AvailableAction } from '../../domain/complaint-schema';
import { applyAction, applyTimer, isFinal, openCase, pendingTimers, type Action, type CaseState } from '../../domain/lifecycle';
import { reopenCase } from '../../domain/reopen';
import { parseSlaPolicy, resolveSlaPolicy, type ResolvedSlaPolicy } from '../../domain/sla-policy';
import { replayClocks, replayedBreaches } from '../../domain/what-if';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const owner: Actor = { role: 'consumer', sub: 'u1' };
const actors: Actor[] = [
  { role: 'agent', sub: 'a1' }, owner, { role: 'department', sub: 'q1', department: 'quality' },
  { role: 'department', sub: 'l1', department: 'logistics' }, { role: 'supervisor', sub: 's1' },
];
const minute = 60_000;

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an actor sends for an action, whatever it is. */
function inputFor(action: AvailableAction, next: () => number): Action['input'] {
  switch (action.type) {
    case 'addDepartments': return { add: action.departments!.slice(0, 1) };
    case 'submitFindings': return { department: action.departments![0]!, summary: 's', responsibleParty: 'merchant' };
    case 'proposePlan': return { remedy: (['apology', 'repair', 'replacement', 'return'] as const)[Math.floor(next() * 4)]!, description: 'd', currency: 'CNY' };
    case 'giveFeedback': return { accepted: next() < 0.6 };
    case 'completeFulfilment': return { done: true };
    case 'rateSatisfaction': return { score: 3 };
    case 'escalate': return { reason: 'r' };
    case 'requestInformation': return { question: 'q' };
    case 'provideInformation': return { text: 't' };
    default: return {};
  }
}

/**
 * A case driven by the real lifecycle the way its workflow would: actions at random times,
 * each timer applied at its instant before anything later; a closed case sometimes reopened.
 */
function simulate(seed: number, policy: ResolvedSlaPolicy): { state: CaseState; now: Date } {
  const next = random(seed);
  const receivedAt = Date.parse('2026-11-20T01:00:00.000Z') + Math.floor(next() * 7 * 24 * 60) * minute;
  let { state } = openCase({ id: `c${seed}`, receivedAt: new Date(receivedAt).toISOString(), actor: 'consumer:u1', policy, intake: sampleIntake({ category: next() < 0.8 ? 'quality' : 'service' }) });
  let t = receivedAt;
  const fireUntil = (until: number) => {
    for (let timer = pendingTimers(state)[0]; timer && Date.parse(timer.at) <= until && !isFinal(state); timer = pendingTimers(state)[0]) {
      applyTimer(state, timer, timer.at);
    }
  };
  for (let step = 0; step < 40; step++) {
    t += Math.floor(next() * next() * 3 * 24 * 60) * minute + Math.floor(next() * 1000);
    fireUntil(t);
    if (isFinal(state)) {
      if (state.complaint.status !== 'closed' || next() < 0.5 || (state.complaint.reopenCount ?? 0) >= 2) break;
      ({ state } = reopenCase({ complaint: state.complaint, reason: 'again', actor: 'consumer:u1', at: new Date(t).toISOString() }, policy));
      continue;
    }
    const choices = actors.flatMap((actor) => availableActions(state.complaint, actor)
      .filter((a) => a.type !== 'withdraw' || next() < 0.05)
      .map((action) => ({ actor, action })));
    if (choices.length === 0) continue;
    const { actor, action } = choices[Math.floor(next() * choices.length)]!;
    applyAction(state, { type: action.type, input: inputFor(action, next) } as Action, actor, new Date(t).toISOString());
  }
  const now = t + Math.floor(next() * 5 * 24 * 60) * minute;
  fireUntil(now);
  return { state, now: new Date(now) };
}

const sorted = (breaches: Array<{ stage: string; deadline: string }>) =>
  breaches.map((b) => `${b.stage}@${b.deadline}`).sort();

describe('what-if: the deadlines of recorded cases under a policy', () => {
  const calendarTime = resolveSlaPolicy(
    parseSlaPolicy({ policies: { general: { acknowledge: '6h', investigate: '30h', plan: '20h', feedback: '40h', repair: '30h', resolve: '150h', revisit: '50h', consumerReply: '30h' } } }),
    'general', 'calendar',
  );
  const workingDays = loadSlaPolicy(undefined).forSeverity('general');

  for (const [name, policy] of [['calendar-time', calendarTime], ['working-day', workingDays]] as const) {
    it(`reproduces every breach the lifecycle recorded, with the case's own ${name} policy (300 random cases)`, () => {
      let breaches = 0;
      let questions = 0;
      let reopens = 0;
      for (let seed = 1; seed <= 300; seed++) {
        const { state, now } = simulate(seed, policy);
        breaches += state.complaint.breaches.length;
        questions += state.complaint.informationRequests?.length ?? 0;
        reopens += state.complaint.reopenCount ?? 0;
        expect(sorted(replayedBreaches(replayClocks(state.complaint, policy, now))), `case ${seed}`).toEqual(sorted(state.complaint.breaches));
      }
      // The cases are varied enough to mean something: breaches of many kinds, pauses, reopens.
      expect(breaches).toBeGreaterThan(150);
      expect(questions).toBeGreaterThan(40);
      expect(reopens).toBeGreaterThan(8);
    }, 60_000);
  }

  it('under a tighter acknowledgement, flags the cases acknowledged between the new and the old deadline', () => {
    const { state } = openCase({ id: 'c1', receivedAt: '2026-11-23T02:00:00.000Z', actor: 'consumer:u1', policy: calendarTime, intake: sampleIntake() });
    applyAction(state, { type: 'acknowledge', input: {} }, actors[0]!, '2026-11-23T06:00:00.000Z'); // after 4 h
    const now = new Date('2026-11-23T07:00:00.000Z');
    expect(replayedBreaches(replayClocks(state.complaint, calendarTime, now))).toEqual([]);
    const tighter = { ...calendarTime, durations: { ...calendarTime.durations, acknowledge: '3h' } };
    expect(replayedBreaches(replayClocks(state.complaint, tighter, now))).toEqual([{ stage: 'acknowledge', deadline: '2026-11-23T05:00:00.000Z' }]);
  });
});
