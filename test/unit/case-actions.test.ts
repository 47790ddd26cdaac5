import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/complaint-schema';
import { availableActions, caseActions } from '../../domain/case-actions';
import { erasedComplaint } from '../../domain/personal-data';
import { applyAction, openCase, type CaseState } from '../../domain/lifecycle';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const owner: Actor = { role: 'consumer', sub: 'u1' };
const stranger: Actor = { role: 'consumer', sub: 'u2' };
const agent: Actor = { role: 'agent', sub: 'a1' };
const supervisor: Actor = { role: 'supervisor', sub: 's1' };
const ops: Actor = { role: 'ops', sub: 'o1' };
const quality: Actor = { role: 'department', sub: 'q1', department: 'quality' };
const logistics: Actor = { role: 'department', sub: 'l1', department: 'logistics' };
const now = '2026-11-23T03:00:00.000Z';

const open = (): CaseState =>
  openCase({ id: 'c1', receivedAt: '2026-11-23T02:00:00.000Z', actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'), intake: sampleIntake({ category: 'quality' }) }).state;
const types = (state: CaseState, actor: Actor) => availableActions(state.complaint, actor).map((a) => a.type);

describe('the actions a caller may take now', () => {
  it('follow the state and the role, as the workflow would judge them', () => {
    const state = open();
    expect(types(state, agent)).toEqual(['acknowledge', 'addDepartments']);
    expect(availableActions(state.complaint, agent).find((a) => a.type === 'addDepartments')?.departments).toEqual(['logistics', 'legal']);
    expect(types(state, owner)).toEqual(['withdraw']);
    expect(types(state, stranger)).toEqual([]);
    expect(types(state, supervisor)).toEqual(['escalate']);
    expect(types(state, ops)).toEqual([]);

    applyAction(state, { type: 'acknowledge', input: {} }, agent, now);
    expect(types(state, agent)).toEqual(['addDepartments', 'submitFindings', 'requestInformation']);
    expect(availableActions(state.complaint, quality)).toEqual([{ type: 'submitFindings', departments: ['quality'] }, { type: 'requestInformation' }]);
    // Not assigned: logistics may not answer (the workflow says 404 to it).
    expect(availableActions(state.complaint, logistics)).toEqual([]);

    applyAction(state, { type: 'submitFindings', input: { department: 'quality', summary: 's', responsibleParty: 'merchant' } }, quality, now);
    expect(types(state, agent)).toEqual(['proposePlan', 'requestInformation']);
    // Waiting on the consumer: only they answer; nobody proposes meanwhile.
    applyAction(state, { type: 'requestInformation', input: { question: 'Which colour?' } }, agent, now);
    expect(types(state, owner)).toEqual(['withdraw', 'provideInformation']);
    expect(types(state, agent)).toEqual([]);
    expect(types(state, supervisor)).toEqual(['escalate']);
    applyAction(state, { type: 'provideInformation', input: { text: 'Red' } }, owner, now);
    expect(types(state, agent)).toEqual(['proposePlan', 'requestInformation']);
    applyAction(state, { type: 'proposePlan', input: { remedy: 'refund', description: 'Refund', amount: 10, currency: 'CNY' } }, agent, now);
    expect(types(state, owner)).toEqual(['giveFeedback', 'withdraw']);
    applyAction(state, { type: 'giveFeedback', input: { accepted: true } }, owner, now);
    // A refund is being paid: nobody confirms it by hand (it could pay twice).
    expect(types(state, agent)).toEqual([]);
    expect(types(state, logistics)).toEqual([]);
  });

  it('no more escalation past the highest level, and none once the case has closed', () => {
    const state = open();
    applyAction(state, { type: 'escalate', input: { reason: 'r', level: 3 } }, supervisor, now);
    expect(types(state, supervisor)).toEqual([]);
    applyAction(state, { type: 'withdraw', input: {} }, owner, now);
    expect(types(state, owner)).toEqual([]);
    expect(types(state, agent)).toEqual([]);
  });

  it('erasing the personal data: offered to the owner and ops once the case has ended, and no longer once erased', () => {
    const policy = loadSlaPolicy(undefined).forSeverity('general');
    const erasable = (state: CaseState, actor: Actor) => caseActions(state.complaint, actor, new Date(now), policy).some((a) => a.type === 'erasePersonalData');
    const state = open();
    expect([owner, ops].map((a) => erasable(state, a))).toEqual([false, false]);
    applyAction(state, { type: 'withdraw', input: {} }, owner, now);
    expect([owner, ops, stranger, agent, supervisor].map((a) => erasable(state, a))).toEqual([true, true, false, false, false]);
    const erased = { ...state, complaint: erasedComplaint(state.complaint, now) };
    expect([owner, ops].map((a) => erasable(erased, a))).toEqual([false, false]);
  });
});
