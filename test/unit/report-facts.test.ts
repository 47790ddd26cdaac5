import { monthsCovering } from '../../activities/report-facts-store';
import { describe, expect, it } from 'vitest';
import { applyAction, openCase } from '../../domain/lifecycle';
import { reportFacts, terminatedFacts } from '../../domain/report-facts';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { distributionOf } from '../../services/reports';
import { sampleIntake } from '../support/fixtures';

describe('report facts of a case', () => {
  const policy = loadSlaPolicy(undefined).forSeverity('general');
  const agent = { role: 'agent' as const, sub: 'a1' };

  it('measures stage times in calendar and working hours, in the calendar time zone', () => {
    // Received Friday 2026-11-20 18:00 Shanghai; acknowledged Monday 09:00: 63 h, of which 15 on working days (6 on Friday, 9 on Monday).
    const { state } = openCase({ id: 'c1', receivedAt: '2026-11-20T10:00:00.000Z', actor: 'consumer:u1', policy, intake: sampleIntake() });
    applyAction(state, { type: 'acknowledge', input: {} }, agent, '2026-11-23T01:00:00.000Z');
    const facts = reportFacts(state.complaint, policy.calendar);
    expect(facts.stages.acknowledge).toEqual({ outcome: 'breached', hours: 63, workingHours: 15 });
    expect(facts.stages.investigate).toEqual({ outcome: 'open' });
    expect(facts).toMatchObject({ month: '2026-11', day: 20, escalated: true, escalationLevel: 2, revisit: null, remedyCost: null });
  });

  it('dates a case by its local month: 1 October 04:00 in Shanghai is October', () => {
    const { state } = openCase({ id: 'c2', receivedAt: '2026-09-30T20:00:00.000Z', actor: 'consumer:u1', policy, intake: sampleIntake() });
    expect(reportFacts(state.complaint, policy.calendar)).toMatchObject({ month: '2026-10', day: 1 });
  });
});

describe('report facts of a case ops terminated', () => {
  const policy = loadSlaPolicy(undefined).forSeverity('general');
  const agent = { role: 'agent' as const, sub: 'a1' };

  it('ends its unfinished stages (neither met, breached nor open) and keeps what had ended', () => {
    const { state } = openCase({ id: 'c3', receivedAt: '2026-11-20T10:00:00.000Z', actor: 'consumer:u1', policy, intake: sampleIntake() });
    applyAction(state, { type: 'acknowledge', input: {} }, agent, '2026-11-20T11:00:00.000Z');
    const live = reportFacts(state.complaint, policy.calendar);
    expect(live.stages.investigate.outcome).toBe('open');
    const terminated = terminatedFacts(live, '2026-11-21T08:00:00.000Z');
    expect(terminated).toMatchObject({ status: 'terminated', revision: live.revision + 1, remedyCost: null, revisit: null });
    expect(terminated.stages.acknowledge).toEqual(live.stages.acknowledge);
    expect(terminated.stages.acknowledge.outcome).toBe('met');
    for (const stage of ['investigate', 'plan', 'resolve', 'revisit'] as const) expect(terminated.stages[stage]).toEqual({ outcome: 'ended' });
    // The same facts from the terminated case itself (its clocks stopped by the termination).
    const event = { type: 'ops_terminated', at: '2026-11-21T08:00:00.000Z', actor: 'ops:o1', data: {} };
    const fromCase = reportFacts({ ...state.complaint, status: 'terminated', timeline: [...state.complaint.timeline, event], revision: state.complaint.revision + 1 }, policy.calendar);
    expect(fromCase).toEqual(terminated);
  });
});

describe('distributions from value counts', () => {
  it('gives the mean and nearest-rank percentiles', () => {
    // Values 1,2,2,3,10 → mean 3.6; p50 = 3rd value (2); p90 = 5th value (10).
    expect(distributionOf([[1, 1], [2, 2], [3, 1], [10, 1]])).toEqual({ mean: 3.6, p50: 2, p90: 10 });
    expect(distributionOf([])).toEqual({ mean: null, p50: null, p90: null });
  });
});

describe('the months a period\'s cases may be filed under', () => {
  const all = { first: '2000-01', last: '2099-12' };
  it('adds a day either side in UTC: a case\'s month is in its policy\'s time zone', () => {
    expect(monthsCovering(new Date('2026-07-01T00:00:00+08:00'), new Date('2026-10-01T00:00:00+08:00'), all)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    expect(monthsCovering(new Date('2026-07-10T00:00:00Z'), new Date('2026-07-20T00:00:00Z'), all)).toEqual(['2026-07']);
    expect(monthsCovering(new Date('2026-12-31T12:00:00Z'), new Date('2027-01-02T00:00:00Z'), all)).toEqual(['2026-12', '2027-01']);
  });

  it('keeps to the months that hold facts, however long the period', () => {
    expect(monthsCovering(new Date('0000-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z'), { first: '2026-11', last: '2027-02' })).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsCovering(new Date('2020-01-01T00:00:00Z'), new Date('2020-02-01T00:00:00Z'), { first: '2026-11', last: '2027-02' })).toEqual([]);
  });
});
