import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseLimits } from '../../domain/case-limits';
import { complaintWorkflowId } from '../../domain/complaint';
import type { ActionType, Actor, Complaint } from '../../domain/complaint-schema';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { executeUpdateOnce } from '../../runtime/workflow-updates';
import type { ComplaintWorkflowArgs } from '../../workflows/complaint';
import { actionUpdates, getComplaintQuery, recordOpsActionUpdate, type ActionArgs, type ActionUpdate } from '../../workflows/messages';
import { sampleIntake } from '../support/fixtures';
import { eventually, ops, startTestService, testClient, type TestService } from '../support/service';

/**
 * A case driven to every limit keeps taking updates and continues as new (Temporal refuses
 * payloads over 2 MB and workflow tasks over 4 MB); a long timeline is carried as a window;
 * an action retried with its Idempotency-Key gets its first answer across runs and resets.
 */
describe('bounded cases', () => {
  let service: TestService;
  let temporal: Client;
  const agent: Actor = { role: 'agent', sub: 'a1' };
  const owner: Actor = { role: 'consumer', sub: 'u1' };
  const policy = loadSlaPolicy(undefined).forSeverity('general');
  const text = (n: number) => 'x'.repeat(n);
  const links = (n: number) => Array.from({ length: n }, (_, i) => `https://evidence.example/${i}/${'p'.repeat(2000)}`);

  beforeAll(async () => {
    service = await startTestService();
    temporal = await testClient(service.mongoUri);
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  const start = async (overrides: Partial<ComplaintWorkflowArgs> = {}) => {
    const id = randomUUID();
    const args: ComplaintWorkflowArgs = {
      id, receivedAt: new Date().toISOString(), actor: 'consumer:u1', policy, intake: sampleIntake({ orderId: `o-${id}` }), ...overrides,
    };
    await temporal.workflow.start('complaintWorkflow', { workflowId: complaintWorkflowId(id), taskQueue: service.taskQueue, args: [args] });
    return id;
  };
  const act = <T extends ActionType>(id: string, type: T, actor: Actor, input: ActionArgs<T>['input']): Promise<Complaint> =>
    executeUpdateOnce(temporal.workflow.getHandle(complaintWorkflowId(id)), actionUpdates[type] as ActionUpdate<ActionType>, [{ actor, input }]);
  const runsOf = async (id: string) => {
    const runs: string[] = [];
    for await (const e of temporal.workflow.list({ query: `WorkflowId = '${complaintWorkflowId(id)}'` })) runs.push(e.runId);
    return runs;
  };

  it('drives a case to every limit: it still takes updates and continues as new', { timeout: 120_000 }, async () => {
    const id = await start({
      intake: sampleIntake({ description: text(5000), evidence: links(caseLimits.evidenceAtIntake) }),
      continueAsNewAtHistoryLength: 60,
    });
    await act(id, 'acknowledge', agent, { note: text(2000) });
    await act(id, 'addDepartments', agent, { add: ['legal', 'logistics'] });
    for (const department of ['quality', 'legal'] as const) {
      for (let i = 0; i < caseLimits.findingsPerDepartment; i++) {
        await act(id, 'submitFindings', agent, { department, summary: text(5000), responsibleParty: 'merchant', evidence: links(caseLimits.evidencePerFindings) });
      }
      await expect(act(id, 'submitFindings', agent, { department, summary: 's', responsibleParty: 'none' })).rejects.toThrow();
    }
    await act(id, 'submitFindings', agent, { department: 'logistics', summary: text(5000), responsibleParty: 'carrier', evidence: links(caseLimits.evidencePerFindings) });
    for (let round = 1; round <= caseLimits.plans; round++) {
      await act(id, 'proposePlan', agent, { remedy: 'compensation', description: text(5000), amount: round, currency: 'CNY' });
      await act(id, 'giveFeedback', owner, { accepted: false, comment: text(2000) });
    }
    // Past the limit: refused with the limit named, and nothing changed.
    const before = await temporal.workflow.getHandle(complaintWorkflowId(id)).query(getComplaintQuery);
    const refused = await act(id, 'proposePlan', agent, { remedy: 'refund', description: 'd', currency: 'CNY' }).catch((err: Error) => err);
    expect((refused as Error & { cause?: Error }).cause?.message).toMatch(/10 plans/);

    // Still takes updates, in a later run than the first.
    const escalated = await act(id, 'escalate', { role: 'supervisor', sub: 's1' }, { reason: text(1000) });
    expect(escalated.revision).toBe(before.revision + 1);
    expect(escalated.findings).toHaveLength(7);
    expect(escalated.findings[0]!.evidence).toHaveLength(caseLimits.evidencePerFindings);
    expect((await runsOf(id)).length).toBeGreaterThan(1);
    const withdrawn = await act(id, 'withdraw', owner, {});
    expect(withdrawn.status).toBe('withdrawn');
    await temporal.workflow.getHandle(complaintWorkflowId(id)).result();
    const stored = await eventually(async () => {
      const res = await service.api.get(`/api/v1/complaints/${id}`, agent);
      return res.body.status === 'withdrawn' ? res.body : null;
    });
    expect(stored.plan.version).toBe(caseLimits.plans);
  });

  it('carries a long timeline as a window; the read model and the API keep it whole', { timeout: 120_000 }, async () => {
    const id = await start({ continueAsNewAtHistoryLength: 400 });
    const handle = temporal.workflow.getHandle(complaintWorkflowId(id));
    const notes = caseLimits.timelineInWorkflow + 10;
    for (let i = 0; i < notes; i++) {
      await executeUpdateOnce(handle, recordOpsActionUpdate, [{ action: 'retry', reason: `note ${i}`, actor: 'ops:o1' }]);
    }
    const carried = await eventually(async () => {
      const c = await handle.query(getComplaintQuery);
      return (c.timelineStart ?? 0) > 0 ? c : null;
    });
    expect(carried.timeline.length).toBeLessThanOrEqual(caseLimits.timelineInWorkflow);
    const whole = await eventually(async () => {
      const res = await service.api.get(`/api/v1/complaints/${id}`, agent);
      return res.body.timeline.length === notes + 1 ? res.body : null;
    });
    expect(whole.timeline[0]).toMatchObject({ type: 'received' });
    expect(whole.timeline.map((e: any) => e.data.reason).filter(Boolean)).toEqual(Array.from({ length: notes }, (_, i) => `note ${i}`));
    expect(whole.timelineStart).toBeUndefined();
    await act(id, 'withdraw', owner, {});
  });

  it('answers a retried keyed action with its first outcome after continue-as-new', { timeout: 60_000 }, async () => {
    const id = await start({ continueAsNewAtHistoryLength: 8 });
    const firstRun = (await runsOf(id))[0];
    const headers = { 'idempotency-key': `ack-${id}` };
    const first = await service.api.post(`/api/v1/complaints/${id}/acknowledge`, { note: 'on it' }, agent, headers);
    expect(first.status).toBe(200);
    await eventually(async () => ((await runsOf(id)).some((r) => r !== firstRun) ? true : null));
    const retried = await service.api.post(`/api/v1/complaints/${id}/acknowledge`, { note: 'on it' }, agent, headers);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.status).toBe('investigating');
    expect(retried.body.timeline.filter((e: any) => e.type === 'acknowledged')).toHaveLength(1);
    // Another key is another action: refused by the state.
    expect((await service.api.post(`/api/v1/complaints/${id}/acknowledge`, { note: 'on it' }, agent, { 'idempotency-key': `other-${id}` })).status).toBe(409);
    await act(id, 'withdraw', owner, {});
  });

  it('answers a retried keyed action with its first outcome after an ops reset', { timeout: 60_000 }, async () => {
    const id = await start();
    const headers = { 'idempotency-key': `escalate-${id}` };
    const supervisor: Actor = { role: 'supervisor', sub: 's1' };
    expect((await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent)).status).toBe(200);
    const first = await service.api.post(`/api/v1/complaints/${id}/escalate`, { reason: 'watch it' }, supervisor, headers);
    expect(first.body.escalationLevel).toBe(2);
    const reset = await service.api.post(`/api/v1/ops/complaints/${id}/reset`, { to: 'last-workflow-task', reason: 'test the retry' }, ops);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    const retried = await service.api.post(`/api/v1/complaints/${id}/escalate`, { reason: 'watch it' }, supervisor, headers);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.escalationLevel).toBe(2);
    expect(retried.body.timeline.filter((e: any) => e.type === 'escalated')).toHaveLength(1);
    await act(id, 'withdraw', owner, {});
  });
});
