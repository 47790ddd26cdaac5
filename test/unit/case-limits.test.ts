import { describe, expect, it } from 'vitest';
import { caseLimits } from '../../domain/case-limits';
import { requestSchemas } from '../../domain/complaint-schema';
import { linkProblem } from '../../domain/evidence-links';
import { applyAction, applyTimer, openCase, pendingTimers, rejectAction, recordOpsAction, type Action, type CaseState } from '../../domain/lifecycle';
import { timelineOverflows, trimTimeline, wholeTimeline } from '../../domain/timeline-window';
import type { Actor } from '../../domain/complaint-schema';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';

const agent: Actor = { role: 'agent', sub: 'a1' };
const consumer: Actor = { role: 'consumer', sub: 'u1' };
const at = (n: number) => new Date(Date.parse('2026-11-23T02:00:00.000Z') + n * 1000).toISOString();
const longText = (n: number) => 'x'.repeat(n);
const link = (i: number) => `https://evidence.example/${i}/${'p'.repeat(2000)}`;

function act(state: CaseState, action: Action, actor: Actor, n: number) {
  expect(rejectAction(state, action, actor)).toBeNull();
  return applyAction(state, action, actor, at(n));
}

/** A case driven to every limit with the longest text every field takes. */
function largestCase(): CaseState {
  const { state } = openCase({
    id: 'c1', receivedAt: at(0), actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'),
    intake: sampleIntake({ description: longText(5000), evidence: Array.from({ length: caseLimits.evidenceAtIntake }, (_, i) => link(i)) }),
  });
  act(state, { type: 'acknowledge', input: { note: longText(2000) } }, agent, 1);
  act(state, { type: 'addDepartments', input: { add: ['legal', 'logistics'] } }, agent, 2);
  let n = 3;
  // Two departments answer as often as they may; the third's first answer ends the investigation.
  for (const department of ['quality', 'legal'] as const) {
    for (let i = 0; i < caseLimits.findingsPerDepartment; i++) {
      act(state, { type: 'submitFindings', input: { department, summary: longText(5000), responsibleParty: 'merchant', evidence: Array.from({ length: caseLimits.evidencePerFindings }, (_, j) => link(j)) } }, agent, n++);
    }
    expect(rejectAction(state, { type: 'submitFindings', input: { department, summary: 's', responsibleParty: 'none' } }, agent)?.message).toMatch(/most a case takes/);
  }
  act(state, { type: 'submitFindings', input: { department: 'logistics', summary: longText(5000), responsibleParty: 'carrier', evidence: Array.from({ length: caseLimits.evidencePerFindings }, (_, j) => link(j)) } }, agent, n++);
  // Every question the case takes, each with the longest items and answer.
  for (let i = 0; i < caseLimits.informationRequests; i++) {
    act(state, { type: 'requestInformation', input: { question: longText(2000), needed: Array.from({ length: caseLimits.neededItems }, () => longText(200)) } }, agent, n++);
    act(state, { type: 'provideInformation', input: { text: longText(5000), evidence: Array.from({ length: caseLimits.evidencePerFindings }, (_, j) => link(j)) } }, consumer, n++);
  }
  expect(rejectAction(state, { type: 'requestInformation', input: { question: 'q' } }, agent)?.message).toMatch(/most a case takes/);
  for (let round = 1; round <= caseLimits.plans; round++) {
    act(state, { type: 'proposePlan', input: { remedy: 'compensation', description: longText(5000), amount: 10, currency: 'CNY' } }, agent, n++);
    if (round < caseLimits.plans) act(state, { type: 'giveFeedback', input: { accepted: false, comment: longText(2000) } }, consumer, n++);
  }
  act(state, { type: 'escalate', input: { reason: longText(1000) } }, { role: 'supervisor', sub: 's1' }, n++);
  // Every timer that can still fire, fired.
  for (let timer = pendingTimers(state)[0]; timer; timer = pendingTimers(state)[0]) applyTimer(state, timer, timer.at);
  return state;
}

describe('the limits of a case', () => {
  it('keeps the largest possible complaint far below Temporal\'s 2 MB payload limit', () => {
    const state = largestCase();
    expect(rejectAction(state, { type: 'proposePlan', input: { remedy: 'refund', description: 'd', currency: 'CNY' } }, agent)?.kind).toBe('invalid_state');
    const bytes = Buffer.byteLength(JSON.stringify(state));
    // The continue-as-new input and each update result carry it; several can share one 4 MB task.
    expect(bytes).toBeLessThan(512 * 1024);
  });

  it('carries only a window of a long timeline, dropping only what the read model holds', () => {
    const state = largestCase();
    for (let i = 0; timelineOverflows(state.complaint) === false; i++) {
      recordOpsAction(state, { action: 'reset', reason: longText(1000), actor: 'ops:o1' }, at(10_000 + i));
    }
    const whole = [...state.complaint.timeline];
    // The read model has nothing of it yet: nothing may be dropped.
    expect(trimTimeline(state.complaint, 0)).toBe(0);
    const dropped = trimTimeline(state.complaint, whole.length);
    expect(dropped).toBeGreaterThan(0);
    expect(state.complaint.timelineStart).toBe(dropped);
    expect(state.complaint.timeline.length).toBeLessThanOrEqual(caseLimits.timelineInWorkflow);
    expect(wholeTimeline(whole, state.complaint)).toEqual(whole);
    // The read model reached only part of what it could have: only that part is dropped.
    recordOpsAction(state, { action: 'reset', reason: 'r', actor: 'ops:o1' }, at(20_000));
    expect(trimTimeline(state.complaint, dropped + 3)).toBeLessThanOrEqual(3);
  });
});

describe('evidence links', () => {
  it('takes https links, and http outside production only', () => {
    expect(linkProblem('https://shop.example/photo.jpg', 'production')).toBeNull();
    expect(linkProblem('http://shop.example/photo.jpg', 'production')).toMatch(/https:/);
    expect(linkProblem('http://shop.example/photo.jpg', 'development')).toBeNull();
  });

  it('refuses other schemes, credentials and addresses of the machine or its network', () => {
    for (const bad of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'ftp://shop.example/x', 'https://user:pw@shop.example/x',
      'http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/x', 'http://2852039166/', 'https://[::ffff:169.254.169.254]/']) {
      expect(linkProblem(bad, 'development'), bad).not.toBeNull();
    }
    for (const local of ['https://127.0.0.1/x', 'https://localhost/x', 'https://10.1.2.3/x', 'https://192.168.0.1/x', 'https://172.20.0.1/x', 'https://[::1]/x']) {
      expect(linkProblem(local, 'production'), local).not.toBeNull();
    }
  });

  it('validates intake and findings links with the policy, and limits their length and number', () => {
    const production = requestSchemas('production');
    const intake = (evidence: string[]) => production.newComplaint.safeParse({
      orderId: 'o1', productName: 'p', description: 'd', channel: 'web', contact: { name: 'n', phone: '13800138000' }, evidence,
    });
    expect(intake(['https://shop.example/a.jpg']).success).toBe(true);
    expect(intake(['javascript:alert(1)']).success).toBe(false);
    expect(intake([`https://shop.example/${'a'.repeat(2048)}`]).success).toBe(false);
    expect(intake(Array.from({ length: caseLimits.evidenceAtIntake + 1 }, (_, i) => `https://shop.example/${i}`)).success).toBe(false);
    const findings = production.actions.submitFindings.safeParse({ department: 'quality', summary: 's', responsibleParty: 'none', evidence: ['http://shop.example/x'] });
    expect(findings.success).toBe(false);
    expect(requestSchemas('development').actions.submitFindings.safeParse({ department: 'quality', summary: 's', responsibleParty: 'none', evidence: ['http://shop.example/x'] }).success).toBe(true);
  });
});
