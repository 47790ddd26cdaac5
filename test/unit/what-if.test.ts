import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/complaint-schema';
import { applyAction, openCase } from '../../domain/lifecycle';
import { parseSlaPolicy, resolveSlaPolicy } from '../../domain/sla-policy';
import { reportFacts, type CaseClocks } from '../../domain/report-facts';
import { replayClocks, replayedBreaches } from '../../domain/what-if';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';
import { simulateCase } from '../support/simulated-cases';

const actors: Actor[] = [{ role: 'agent', sub: 'a1' }];

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
        const { state, now } = simulateCase(seed, policy);
        breaches += state.complaint.breaches.length;
        questions += state.complaint.informationRequests?.length ?? 0;
        reopens += state.complaint.reopenCount ?? 0;
        expect(sorted(replayedBreaches(replayClocks(state.complaint.timeline, policy, now))), `case ${seed}`).toEqual(sorted(state.complaint.breaches));
        // The clock events the report facts keep replay the same (what the what-if reads).
        const clocks = JSON.parse(reportFacts(state.complaint, policy.calendar).clocks!) as CaseClocks;
        expect(sorted(replayedBreaches(replayClocks(clocks.events, policy, now))), `case ${seed}, from its facts`).toEqual(sorted(clocks.breaches));
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
    expect(replayedBreaches(replayClocks(state.complaint.timeline, calendarTime, now))).toEqual([]);
    const tighter = { ...calendarTime, durations: { ...calendarTime.durations, acknowledge: '3h' } };
    expect(replayedBreaches(replayClocks(state.complaint.timeline, tighter, now))).toEqual([{ stage: 'acknowledge', deadline: '2026-11-23T05:00:00.000Z' }]);
  });
});
