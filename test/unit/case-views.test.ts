import { describe, expect, it } from 'vitest';
import { seesCaseAsStored, viewFor, worksOn } from '../../domain/case-views';
import { complaintSchema, roles, type Actor } from '../../domain/complaint-schema';
import { maskName } from '../../domain/contact-mask';
import { applyAction, applyHandlerAnswer, openCase, recordOpsAction, type CaseState } from '../../domain/lifecycle';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const owner: Actor = { role: 'consumer', sub: 'u1' };
const agent: Actor = { role: 'agent', sub: 'a1' };
const quality: Actor = { role: 'department', sub: 'q-7', department: 'quality' };
const logistics: Actor = { role: 'department', sub: 'l-3', department: 'logistics' };
const legal: Actor = { role: 'department', sub: 'g-1', department: 'legal' };
const contact = { name: 'Li Wei', phone: '13800138000', email: 'li.wei@example.com' };
const at = (minute: number) => new Date(Date.parse('2026-11-23T02:00:00.000Z') + minute * 60_000).toISOString();

/** A quality case an agent acknowledged, whose handler call failed, found by hand, reset by ops, with a replacement accepted. */
function fulfillingCase(): CaseState {
  const { state } = openCase({
    id: 'c1', receivedAt: at(0), actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'),
    intake: sampleIntake({ contact }),
  });
  applyAction(state, { type: 'acknowledge', input: { note: 'Called the merchant, ticket 4411' } }, agent, at(1));
  applyHandlerAnswer(state, 'investigation:quality', { outcome: 'failed', reason: 'connect ECONNREFUSED 10.2.0.7:8443' }, at(2));
  recordOpsAction(state, { action: 'reset', reason: 'bad deploy 2026-11-23, rolled back', actor: 'ops:o1' }, at(3));
  applyAction(state, { type: 'submitFindings', input: { department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant' } }, quality, at(4));
  applyAction(state, { type: 'escalate', input: { reason: 'VIP customer, litigious' } }, { role: 'supervisor', sub: 's1' }, at(5));
  applyAction(state, { type: 'proposePlan', input: { remedy: 'replacement', description: 'A new kettle', currency: 'CNY' } }, agent, at(6));
  applyAction(state, { type: 'giveFeedback', input: { accepted: false, comment: 'I want it sooner' } }, owner, at(7));
  applyAction(state, { type: 'proposePlan', input: { remedy: 'replacement', description: 'A new kettle tomorrow', currency: 'CNY' } }, agent, at(8));
  applyAction(state, { type: 'giveFeedback', input: { accepted: true } }, owner, at(9));
  return state;
}

describe('the staff view', () => {
  it('is the case as stored exactly for the roles seesCaseAsStored names (their list items are the stored text, decision 036)', () => {
    const { complaint } = fulfillingCase();
    // A case the consumer owns and every department works on: only a view that masks differs.
    const viewers: Actor[] = roles.map((role) => (role === 'consumer' ? owner : role === 'department' ? logistics : { role, sub: 'x' }));
    expect(viewers.filter(seesCaseAsStored).map((v) => v.role)).toEqual(['agent', 'supervisor', 'ops']);
    for (const viewer of viewers) expect(viewFor(viewer, complaint) === complaint).toBe(seesCaseAsStored(viewer));
    // A role not known to the views sees nothing.
    expect(viewFor({ role: 'auditor' as Actor['role'], sub: 'x' }, complaint)).toBeNull();
    expect(seesCaseAsStored({ role: 'auditor' as Actor['role'], sub: 'x' })).toBe(false);
  });

  it('is the whole case for agents, supervisors and ops', () => {
    const { complaint } = fulfillingCase();
    for (const role of ['agent', 'supervisor', 'ops'] as const) {
      expect(viewFor({ role, sub: 'x' }, complaint)).toEqual(complaint);
    }
  });
});

describe('the consumer view', () => {
  it('hides the case from any other consumer', () => {
    expect(viewFor({ role: 'consumer', sub: 'u2' }, fulfillingCase().complaint)).toBeNull();
  });

  it('shows staff as roles, without staff ids, assignee, ops entries, notes, reasons or error text', () => {
    const { complaint } = fulfillingCase();
    const view = viewFor(owner, complaint)!;
    const text = JSON.stringify(view);
    for (const internal of ['agent:a1', 'q-7', 's1', 'ops:o1', 'ticket 4411', 'ECONNREFUSED', 'bad deploy', 'litigious']) {
      expect(text, internal).not.toContain(internal);
    }
    expect(view).not.toHaveProperty('assignee');
    expect(view.timeline.some((e) => e.type.startsWith('ops_'))).toBe(false);
    expect(view.requests.every((r) => r.reason === undefined)).toBe(true);
    expect(view.requests.find((r) => r.key === 'investigation:quality')).toMatchObject({ handler: 'quality', status: 'done' });
    const actorOf = (type: string) => view.timeline.find((e) => e.type === type)?.actor;
    expect(actorOf('acknowledged')).toBe('agent');
    expect(actorOf('handler_request_failed')).toBe('handler:quality');
    expect(actorOf('findings_submitted')).toBe('department:quality');
    expect(actorOf('escalated')).toBe('supervisor');
    expect(actorOf('investigation_started')).toBe('system');
    expect(view.timeline.find((e) => e.type === 'escalated')!.data).toEqual({ from: 1, to: 2 });
  });

  it('shows who asked a question as their role, never their id', () => {
    const { state } = openCase({ id: 'c2', receivedAt: at(0), actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'), intake: sampleIntake({ contact }) });
    applyAction(state, { type: 'acknowledge', input: {} }, agent, at(1));
    applyAction(state, { type: 'requestInformation', input: { question: 'A photo?' } }, quality, at(2));
    const view = viewFor(owner, state.complaint)!;
    expect(JSON.stringify(view)).not.toContain('q-7');
    expect(view.informationRequests![0]).toMatchObject({ askedBy: 'department:quality', question: 'A photo?' });
    expect(view.timeline.find((e) => e.type === 'information_requested')!.actor).toBe('department:quality');
    expect(viewFor(agent, state.complaint)!.informationRequests![0]!.askedBy).toBe('department:q-7');
  });

  it('keeps the consumer\'s own entries and words as they are', () => {
    const view = viewFor(owner, fulfillingCase().complaint)!;
    expect(view.timeline[0]).toMatchObject({ type: 'received', actor: 'consumer:u1' });
    expect(view.timeline.find((e) => e.type === 'plan_rejected')).toMatchObject({ actor: 'consumer:u1', data: { comment: 'I want it sooner' } });
    expect(view.contact).toEqual(contact);
  });

  it('keeps the reason of the consumer\'s own withdrawal', () => {
    const state = fulfillingCase();
    applyAction(state, { type: 'withdraw', input: { reason: 'Bought another one' } }, owner, at(10));
    expect(viewFor(owner, state.complaint)!.timeline.at(-1)).toMatchObject({ type: 'withdrawn', data: { reason: 'Bought another one' } });
  });
});

describe('the department view', () => {
  it('hides cases the department never worked on', () => {
    const { complaint } = fulfillingCase();
    expect(viewFor(legal, complaint)).toBeNull();
    expect(worksOn('legal', complaint)).toBe(false);
    expect(viewFor({ role: 'department', sub: 'no-claim' }, complaint)).toBeNull();
  });

  it('masks the contact of an assigned department whose work does not need it', () => {
    const { complaint } = fulfillingCase();
    const view = viewFor(quality, complaint)!;
    expect(view.contact).toEqual({ name: 'L***', phone: '138****8000', email: 'l***@example.com' });
    expect(JSON.stringify(view)).not.toMatch(/Li Wei|13800138000|li\.wei@/);
    // The rest of the case is the staff's.
    expect({ ...view, contact: complaint.contact }).toEqual(complaint);
  });

  it('shows logistics the name and phone while it has goods to pick up or deliver, not after', () => {
    const state = fulfillingCase();
    expect(state.complaint.departments).toEqual(['quality']);
    expect(viewFor(logistics, state.complaint)!.contact).toEqual({ name: 'Li Wei', phone: '13800138000', email: 'l***@example.com' });
    applyHandlerAnswer(state, 'replacement:v2', { outcome: 'done', reference: 'DLV-7' }, at(11));
    expect(state.complaint.status).toBe('resolved');
    expect(viewFor(logistics, state.complaint)!.contact).toEqual({ name: 'L***', phone: '138****8000', email: 'l***@example.com' });
  });

  it('keeps every view a valid complaint resource, and leaves the case itself alone', () => {
    const { complaint } = fulfillingCase();
    const before = structuredClone(complaint);
    for (const viewer of [owner, quality, logistics, agent]) {
      expect(complaintSchema.safeParse(viewFor(viewer, complaint)).success, viewer.role).toBe(true);
    }
    expect(complaint).toEqual(before);
  });
});

describe('masking a name', () => {
  it('keeps the first character only, whatever the script', () => {
    expect(maskName('李伟')).toBe('李***');
    expect(maskName('  Ann ')).toBe('A***');
  });
});
