import { describe, expect, it } from 'vitest';
import { complaintSchema } from '../../domain/complaint-schema';
import { applyAction, handlerMessage, openCase } from '../../domain/lifecycle';
import { erasedComplaint, erasedHandlerMessage, erasedMark, personalDataDueAt } from '../../domain/personal-data';
import { reportFacts } from '../../domain/report-facts';
import { reopenProblem } from '../../domain/reopen';
import { parseSlaPolicy, personalDataRetention } from '../../domain/sla-policy';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const policy = loadSlaPolicy(undefined).forSeverity('general');
const owner = { role: 'consumer' as const, sub: 'pii-customer-7' };
const staff = { role: 'agent' as const, sub: 'a1' };
const quality = { role: 'department' as const, sub: 'q1', department: 'quality' as const };
const personal = ['PII', 'pii', '139 1234 5678', 'example.com', 'Mingyu', 'https://evidence'];

/** A case with personal data in every place a person can put it. */
function caseWithPersonalData() {
  const { state } = openCase({
    id: 'c-7', receivedAt: '2026-11-20T01:00:00.000Z', actor: 'consumer:pii-customer-7', policy,
    intake: sampleIntake({
      customerId: 'pii-customer-7', orderId: 'pii-order-7', description: 'PII description', evidence: ['https://evidence.example/pii.jpg'],
      contact: { name: 'PII Zhang Mingyu', phone: '+86 139 1234 5678', email: 'pii@example.com' },
    }),
  });
  const act = (type: string, input: Record<string, unknown>, actor: Parameters<typeof applyAction>[2], at: string) =>
    applyAction(state, { type, input } as Parameters<typeof applyAction>[1], actor, at);
  act('acknowledge', { note: 'PII note' }, staff, '2026-11-20T02:00:00.000Z');
  act('requestInformation', { question: 'PII question', needed: ['PII item'] }, staff, '2026-11-20T03:00:00.000Z');
  act('provideInformation', { text: 'PII answer', evidence: ['https://evidence.example/pii2.jpg'] }, owner, '2026-11-20T04:00:00.000Z');
  act('submitFindings', { department: 'quality', summary: 'PII findings', responsibleParty: 'merchant', evidence: ['https://evidence.example/pii3.jpg'] }, quality, '2026-11-20T05:00:00.000Z');
  act('proposePlan', { remedy: 'refund', description: 'PII plan', amount: 10, currency: 'CNY' }, staff, '2026-11-20T06:00:00.000Z');
  act('giveFeedback', { accepted: false, comment: 'PII comment' }, owner, '2026-11-20T07:00:00.000Z');
  act('escalate', { reason: 'PII reason' }, { role: 'supervisor', sub: 's1' }, '2026-11-20T08:00:00.000Z');
  act('withdraw', { reason: 'PII withdrawal' }, owner, '2026-11-20T09:00:00.000Z');
  return state;
}

describe('erasing a case\'s personal data', () => {
  it('leaves no contact detail, id of the person or the order, or text anyone wrote', () => {
    const state = caseWithPersonalData();
    const whole = JSON.stringify(state.complaint);
    for (const written of ['PII description', 'PII note', 'PII question', 'PII item', 'PII answer', 'PII findings', 'PII plan', 'PII comment', 'PII reason', 'PII withdrawal', '139 1234 5678', 'pii@example.com', 'pii-customer-7', 'pii-order-7', 'https://evidence']) {
      expect(whole, written).toContain(written);
    }
    const erased = erasedComplaint(state.complaint, '2026-12-01T00:00:00.000Z');
    const text = JSON.stringify(erased);
    for (const p of personal) expect(text, p).not.toContain(p);
    expect(erased.contact).toEqual({ name: erasedMark });
    expect(erased.timeline.filter((e) => e.actor.startsWith('consumer:')).every((e) => e.actor === 'consumer:[erased]')).toBe(true);
    expect(complaintSchema.safeParse(erased).success).toBe(true);
  });

  it('keeps every figure: status, clocks, breaches, escalation, the timeline\'s events and times, the report facts', () => {
    const state = caseWithPersonalData();
    const erased = erasedComplaint(state.complaint, '2026-12-01T00:00:00.000Z');
    const c = state.complaint;
    expect(erased).toMatchObject({
      id: c.id, status: 'withdrawn', severity: c.severity, category: c.category, channel: c.channel, escalationLevel: c.escalationLevel,
      deadlines: c.deadlines, breaches: c.breaches, revision: c.revision, erasedAt: '2026-12-01T00:00:00.000Z',
    });
    expect(erased.timeline.map((e) => [e.type, e.at])).toEqual(c.timeline.map((e) => [e.type, e.at]));
    const escalated = erased.timeline.find((e) => e.type === 'escalated')!;
    expect(escalated.data).toMatchObject({ to: 2, reason: erasedMark });
    const { erasedAt: _at, ...withoutStamp } = reportFacts(erased, policy.calendar) as ReturnType<typeof reportFacts> & { erasedAt?: string };
    expect(withoutStamp).toEqual(reportFacts(c, policy.calendar));
  });

  it('takes the case details out of a handler\'s copy of a request', () => {
    const state = caseWithPersonalData();
    const message = handlerMessage(state, state.complaint.requests[0]!.key);
    const erased = erasedHandlerMessage(message);
    for (const p of personal) expect(JSON.stringify(erased), p).not.toContain(p);
    expect(erased).toMatchObject({ requestId: message.requestId, handler: message.handler, kind: message.kind });
  });

  it('refuses to reopen an erased case', () => {
    const state = caseWithPersonalData();
    const closed = { ...erasedComplaint(state.complaint, '2026-11-20T10:00:00.000Z'), status: 'closed' as const };
    expect(reopenProblem(closed, staff, new Date('2026-11-20T11:00:00.000Z'), policy)).toMatchObject({ kind: 'invalid_state', message: expect.stringContaining('erased') });
  });
});

describe('retention of personal data', () => {
  it('is three years after the case ends unless the policy says otherwise, per severity', () => {
    expect(personalDataRetention(parseSlaPolicy({}))).toEqual({ general: '1095d', complex: '1095d', urgent: '1095d' });
    const file = parseSlaPolicy({ policies: { urgent: { retention: { personalData: '30d' } }, complex: { retention: { personalData: { businessDays: 10 } } } } });
    expect(personalDataRetention(file)).toEqual({ general: '1095d', complex: { businessDays: 10 }, urgent: '30d' });
    expect(() => parseSlaPolicy({ policies: { general: { retention: { personalData: 'forever' } } } })).toThrow(/policies\.general\.retention\.personalData/);
  });

  it('is due the retention after the case ended, working days on the policy\'s calendar', () => {
    expect(personalDataDueAt('2026-01-01T00:00:00.000Z', '1095d', policy.calendar).toISOString()).toBe('2028-12-31T00:00:00.000Z');
    // Ended Friday 2026-11-20 18:00 in Shanghai: two working days later is Tuesday 18:00.
    expect(personalDataDueAt('2026-11-20T10:00:00.000Z', { businessDays: 2 }, policy.calendar).toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });
});
