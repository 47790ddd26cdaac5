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

  it('in the zones of the policies in use, only the period\'s own months', () => {
    // A quarter given in Shanghai time: its three months there, not June or October.
    expect(monthsCovering(new Date('2026-07-01T00:00:00+08:00'), new Date('2026-10-01T00:00:00+08:00'), all, ['Asia/Shanghai'])).toEqual(['2026-07', '2026-08', '2026-09']);
    // Given in UTC, the first eight hours of 1 October are October's in Shanghai.
    expect(monthsCovering(new Date('2026-07-01T00:00:00Z'), new Date('2026-10-01T00:00:00Z'), all, ['Asia/Shanghai'])).toEqual(['2026-07', '2026-08', '2026-09', '2026-10']);
    expect(monthsCovering(new Date('2026-07-01T00:00:00Z'), new Date('2026-10-01T00:00:00Z'), all, ['Asia/Shanghai', 'America/New_York'])).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
  });

  it('keeps to the months that hold facts, however long the period', () => {
    expect(monthsCovering(new Date('0000-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z'), { first: '2026-11', last: '2027-02' })).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsCovering(new Date('2020-01-01T00:00:00Z'), new Date('2020-02-01T00:00:00Z'), { first: '2026-11', last: '2027-02' })).toEqual([]);
    expect(monthsCovering(new Date('0000-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z'), { first: '2026-11', last: '2027-02' }, ['Asia/Shanghai'])).toHaveLength(4);
  });
});

describe('report facts hold no personal data', () => {
  it('keep no contact detail, customer id or free text of the case, the what-if\'s clocks included', () => {
    const policy = loadSlaPolicy(undefined).forSeverity('general');
    const owner = { role: 'consumer' as const, sub: 'pii-customer-7' };
    const staff = { role: 'agent' as const, sub: 'a1' };
    const quality = { role: 'department' as const, sub: 'q1', department: 'quality' as const };
    const { state } = openCase({
      id: 'c-7', receivedAt: '2026-11-20T01:00:00.000Z', actor: 'consumer:pii-customer-7', policy,
      intake: sampleIntake({ customerId: 'pii-customer-7', orderId: 'pii-order-7', description: 'PII description', contact: { name: 'PII Zhang Mingyu', phone: '+86 139 1234 5678', email: 'pii@example.com' } }),
    });
    const act = (type: string, input: Record<string, unknown>, actor: Parameters<typeof applyAction>[2], at: string) =>
      applyAction(state, { type, input } as Parameters<typeof applyAction>[1], actor, at);
    act('acknowledge', {}, staff, '2026-11-20T02:00:00.000Z');
    act('requestInformation', { question: 'PII question' }, staff, '2026-11-20T03:00:00.000Z');
    act('provideInformation', { text: 'PII answer' }, owner, '2026-11-20T04:00:00.000Z');
    act('submitFindings', { department: 'quality', summary: 'PII findings', responsibleParty: 'merchant' }, quality, '2026-11-20T05:00:00.000Z');
    act('proposePlan', { remedy: 'refund', description: 'PII plan', amount: 10, currency: 'CNY' }, staff, '2026-11-20T06:00:00.000Z');
    act('giveFeedback', { accepted: false, comment: 'PII comment' }, owner, '2026-11-20T07:00:00.000Z');
    act('escalate', { reason: 'PII reason' }, { role: 'supervisor', sub: 's1' }, '2026-11-20T08:00:00.000Z');
    // The case itself holds every one of them…
    const whole = JSON.stringify(state.complaint);
    for (const written of ['PII description', 'PII question', 'PII answer', 'PII findings', 'PII plan', 'PII comment', 'PII reason', '139 1234 5678', 'pii@example.com', 'pii-customer-7']) {
      expect(whole, written).toContain(written);
    }
    const facts = JSON.stringify(reportFacts(state.complaint, policy.calendar));
    expect(facts).toContain('"clocks"');
    // …its facts none: no contact detail, no id of the person or the order, no text anyone wrote.
    for (const personal of ['PII', 'pii', '139 1234 5678', '13912345678', 'example.com', 'Mingyu']) expect(facts).not.toContain(personal);
  });
});
