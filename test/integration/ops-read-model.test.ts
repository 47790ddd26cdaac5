import type { Client } from '@temporalio/client';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { reportFactsModel } from '../../activities/report-facts-store';
import { complaintWorkflowId } from '../../domain/complaint';
import { findings, HandlerServer } from '../support/handler-server';
import {
  agent, consumer, eventually, newComplaintBody, ops, secondsPolicy, startTestService, supervisor, testClient, type TestService,
} from '../support/service';

const secret = 'handler-secret-0123456789';

/**
 * What ops do to a case reaches the read model: after a reset it follows the new run (whose
 * revisions count again from the reset point) and refuses the abandoned run's writes; a
 * terminated case is recorded as terminated, and is no longer open for its order.
 */
describe('ops and the read model: reset, terminate', () => {
  const handlers = new HandlerServer(secret);
  let service: TestService;
  let temporal: Client;
  let db: Connection;
  let readModel: ComplaintReadModel;
  let qualityAnswers = true;

  beforeAll(async () => {
    const base = await handlers.start();
    handlers.on('/quality', () => (qualityAnswers ? findings('Cracked base') : { status: 500, body: { detail: 'inspection system down' } }));
    service = await startTestService({
      HANDLER_QUALITY_URL: `${base}/quality`, HANDLER_QUALITY_HMAC_SECRET: secret,
      SLA_POLICY_FILE: secondsPolicy({ acknowledge: '1h', investigate: '1h', plan: '1h', feedback: '1h', resolve: '1h', revisit: '1h' }),
    });
    temporal = await testClient(service.mongoUri);
    db = await mongoose.createConnection(service.mongoUri).asPromise();
    readModel = new ComplaintReadModel(complaintModel(db));
  });
  afterAll(async () => {
    await db?.close();
    await temporal?.connection.close();
    await service?.stop();
    await handlers.stop();
  });

  const live = async (id: string) => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
  const stored = (id: string) => complaintModel(db).findById(id).lean<Record<string, any>>();

  it("follows the reset's new run, whose revisions count again from the reset point, and refuses the abandoned run's late writes", async () => {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ category: 'quality' }), consumer('reset-1'))).body.id as string;
    await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    // Quality answers: the case moves on to planning with its findings.
    const planning = await eventually(async () => ((await live(id)).status === 'planning' ? live(id) : null), 20_000);
    await eventually(async () => ((await stored(id))?.revision === planning.revision ? true : null));
    const abandoned = await readModel.get(id);
    const oldRun = (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).runId;

    // Reset to the first task: the acknowledgement is applied again, the call to quality made
    // again — and now quality is down, so the new run stays investigating, with fewer changes.
    qualityAnswers = false;
    const reset = await service.api.post(`/api/v1/ops/complaints/${id}/reset`, { to: 'first-workflow-task', reason: 'Inspection answered for another order' }, ops);
    expect(reset.status).toBe(200);
    const now = await eventually(async () => {
      const c = await live(id);
      return c.timeline.some((e: any) => e.type === 'ops_reset') ? c : null;
    });
    expect(now).toMatchObject({ status: 'investigating', findings: [] });
    expect(now.revision).toBeLessThanOrEqual(planning.revision); // what a revision guard alone refuses

    const doc = await eventually(async () => {
      const d = await stored(id);
      return d?.revision === now.revision ? d : null;
    });
    expect(doc).toMatchObject({ status: 'investigating', run: reset.body.runId, supersededRuns: [oldRun] });
    expect(await readModel.get(id)).toMatchObject({ status: 'investigating', findings: [], revision: now.revision });
    expect(await reportFactsModel(db).findById(id).lean()).toMatchObject({ status: 'investigating', revision: now.revision });

    // An attempt of the abandoned run that was still in flight writes late, newer by revision: refused.
    expect(await readModel.save({ ...abandoned!, revision: now.revision + 5 }, oldRun)).toBe(false);
    expect(await readModel.get(id)).toMatchObject({ status: 'investigating', revision: now.revision });
    // The new run goes on: its next change is stored.
    const escalated = (await service.api.post(`/api/v1/complaints/${id}/escalate`, { reason: 'Press enquiry' }, supervisor)).body;
    await eventually(async () => ((await readModel.get(id))?.escalationLevel === escalated.escalationLevel && escalated.escalationLevel > 1 ? true : null));
    qualityAnswers = true;
  });

  let terminatedId = '';
  const order = newComplaintBody({ category: 'quality' });

  it("records a terminated case as terminated in the read model, its list and the reports; its run's late write cannot open it again", async () => {
    const id = (terminatedId = (await service.api.post('/api/v1/complaints', order, consumer('term-1'))).body.id as string);
    expect((await service.api.post('/api/v1/complaints', order, consumer('term-1'))).status).toBe(409);
    await eventually(async () => ((await stored(id)) ? true : null));
    const run = (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).runId;

    const res = await service.api.post(`/api/v1/ops/complaints/${id}/terminate`, { reason: 'Opened by a test robot' }, ops);
    expect(res.status).toBe(204);
    expect(await stored(id)).toMatchObject({ status: 'terminated', run, supersededRuns: [run] });
    const terminated = (await readModel.get(id))!;
    expect(terminated.timeline.at(-1)).toMatchObject({ type: 'ops_terminated', actor: 'ops:o1', data: { reason: 'Opened by a test robot' } });
    // The terminated run's activity that was in flight cannot make it open again.
    expect(await readModel.save({ ...terminated, status: 'received', revision: terminated.revision + 3 }, run)).toBe(false);
    expect(await readModel.get(id)).toMatchObject({ status: 'terminated', revision: terminated.revision });
    // No longer open for its order (the duplicate-order check), and listed as terminated.
    expect(await readModel.openFor('term-1', order.orderId)).toBeNull();
    const listed = (await service.api.get('/api/v1/complaints?customerId=term-1', agent)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id, status: 'terminated' })]);

    expect(await reportFactsModel(db).findById(id).lean()).toMatchObject({
      status: 'terminated', stages: { acknowledge: { outcome: 'ended' }, resolve: { outcome: 'ended' } },
    });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const report = (await service.api.get(`/api/v1/reports/summary?from=${from}`, supervisor)).body;
    expect(report.totals.byStatus.terminated).toBe(1);
    // Its stages are over, neither met nor breached: the open ones are the live cases'.
    expect(report.stages.resolve.open).toBe(report.totals.cases - 1);
  });

  it('answers GET of a terminated case as terminated, and takes a new complaint for its order without allowDuplicate', async () => {
    // Both right after the termination, within a minute of the first intake (the API's own memory of recent intakes).
    expect((await service.api.get(`/api/v1/complaints/${terminatedId}`, agent)).body).toMatchObject({ id: terminatedId, status: 'terminated' });
    const again = await service.api.post('/api/v1/complaints', order, consumer('term-1'));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(terminatedId);
  });
});
