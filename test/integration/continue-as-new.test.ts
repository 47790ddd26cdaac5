import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import type { ActionType, Actor, Complaint } from '../../domain/complaint-schema';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { executeUpdateOnce } from '../../runtime/workflow-updates';
import { actionUpdates, getComplaintQuery, type ActionArgs, type ActionUpdate } from '../../workflows/messages';
import type { ComplaintWorkflowArgs } from '../../workflows/complaint';
import { eventually, secondsPolicy, startTestService, testClient, type TestService } from '../support/service';
import { sampleIntake } from '../support/fixtures';

/**
 * A complaint lives for weeks; its history must not grow without bound. With a low threshold
 * the workflow continues as new many times during one case, and nothing is lost.
 */
describe('continue-as-new', () => {
  let service: TestService;
  let temporal: Client;
  const agent: Actor = { role: 'agent', sub: 'a1' };
  const owner: Actor = { role: 'consumer', sub: 'u1' };

  beforeAll(async () => {
    service = await startTestService();
    temporal = await testClient(service.mongoUri);
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  it('carries state, absolute deadlines and pending timers across runs', async () => {
    const policy = loadSlaPolicy(secondsPolicy({ acknowledge: '1h', investigate: '1h', plan: '1h', feedback: '3s', resolve: '2h', revisit: '1h' }));
    const id = randomUUID();
    const workflowId = complaintWorkflowId(id);
    const args: ComplaintWorkflowArgs = {
      id,
      receivedAt: new Date().toISOString(),
      actor: 'consumer:u1',
      policy: policy.forSeverity('general'),
      continueAsNewAtHistoryLength: 12,
      intake: sampleIntake({ contact: { name: 'Li Wei', email: 'li@example.com' } }),
    };
    const handle = await temporal.workflow.start('complaintWorkflow', { workflowId, taskQueue: service.taskQueue, args: [args] });
    const firstRunId = handle.firstExecutionRunId;
    const act = <T extends ActionType>(type: T, actor: Actor, input: ActionArgs<T>['input']): Promise<Complaint> =>
      executeUpdateOnce(temporal.workflow.getHandle(workflowId), actionUpdates[type] as ActionUpdate<ActionType>, [{ actor, input }])

    const opened = await handle.query(getComplaintQuery);
    await act('acknowledge', agent, {});
    await act('addDepartments', agent, { add: ['legal'] });
    await act('addDepartments', agent, { add: ['logistics'] });
    await act('submitFindings', agent, { department: 'quality', summary: 'q', responsibleParty: 'merchant' });
    await act('submitFindings', agent, { department: 'legal', summary: 'l', responsibleParty: 'none' });
    await act('submitFindings', agent, { department: 'logistics', summary: 'g', responsibleParty: 'carrier' });
    for (let round = 1; round <= 3; round++) {
      await act('proposePlan', agent, { remedy: 'refund', description: `round ${round}`, amount: round * 10, currency: 'CNY' });
      await act('giveFeedback', owner, { accepted: false, comment: `not enough (${round})` });
    }
    await act('proposePlan', agent, { remedy: 'refund', description: 'final', amount: 100, currency: 'CNY' });

    // Several runs by now, all in one workflow id.
    const runs = await eventually(async () => {
      const ids: string[] = [];
      for await (const execution of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) ids.push(execution.runId);
      return ids.length > 2 ? ids : null;
    });
    expect(runs).toContain(firstRunId);

    const state = await temporal.workflow.getHandle(workflowId).query(getComplaintQuery);
    expect(state.deadlines.acknowledge).toBe(opened.deadlines.acknowledge);
    expect(state.deadlines.resolve).toBe(opened.deadlines.resolve);
    expect(state.feedback).toHaveLength(3);
    expect(state.plan).toMatchObject({ version: 4, description: 'final' });
    expect(state.timeline.map((e) => e.type).filter((t) => t === 'plan_proposed')).toHaveLength(4);
    // Carried, not counted again from the run's start. One above the timeline's length for each
    // department whose findings were the only change while the record handing it its request
    // still ran: the revision then passes the one that record wrote ahead (decision 026).
    expect(state.revision - state.timeline.length).toBeGreaterThanOrEqual(0);
    expect(state.revision - state.timeline.length).toBeLessThanOrEqual(state.departments.length);

    // The feedback timer of the last plan was set in a later run and still fires on time.
    const breached = await eventually(async () => {
      const c = await temporal.workflow.getHandle(workflowId).query(getComplaintQuery);
      return c.breaches.length > 0 ? c : null;
    }, 10_000);
    expect(breached.breaches).toEqual([{ stage: 'feedback', deadline: state.deadlines.feedback, at: expect.any(String) }]);
    expect(Date.parse(breached.breaches[0]!.at) - Date.parse(state.deadlines.feedback!)).toBeLessThan(1000);

    await act('giveFeedback', owner, { accepted: true });
    // The refund is with the payment service (a manual task) before an agent confirms it.
    await eventually(async () => {
      const c = await temporal.workflow.getHandle(workflowId).query(getComplaintQuery);
      return c.requests.some((r) => r.key === 'refund:v4' && r.status === 'accepted') ? true : null;
    });
    await act('completeFulfilment', agent, { done: true });
    const closed = await act('rateSatisfaction', owner, { score: 5 });
    expect(closed.status).toBe('closed');
    await temporal.workflow.getHandle(workflowId).result();

    // The read model got the final snapshot, timeline complete.
    const stored = await eventually(async () => {
      const res = await service.api.get(`/api/v1/complaints/${id}`, agent);
      return res.body.status === 'closed' ? res.body : null;
    });
    expect(stored.timeline).toHaveLength(closed.timeline.length);
  });
});
