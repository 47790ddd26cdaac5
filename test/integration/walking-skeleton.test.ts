import type { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { complaintWorkflowId } from '../../domain/complaint';
import { openCase } from '../../domain/lifecycle';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import {
  agent, consumer, department, eventually, newComplaintBody, startTestService, testClient, type TestService,
} from '../support/service';
import { sampleIntake } from '../support/fixtures';

describe('walking skeleton: HTTP -> workflow -> activity -> MongoDB -> HTTP', () => {
  let service: TestService;
  let temporal: Client;
  let db: mongoose.Connection;

  beforeAll(async () => {
    service = await startTestService();
    temporal = await testClient(service.mongoUri);
    db = await mongoose.createConnection(service.mongoUri).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await temporal?.connection.close();
    await service?.stop();
  });

  it('opens a complaint, runs its workflow, writes the read model and answers GET', async () => {
    const body = newComplaintBody();
    const created = await service.api.post('/api/v1/complaints', body, consumer('u1'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      customerId: 'u1', orderId: body.orderId, status: 'received', category: 'quality',
      severity: 'general', escalationLevel: 1, departments: ['quality'],
    });
    const id: string = created.body.id;
    expect(created.headers.get('location')).toBe(`/api/v1/complaints/${id}`);
    expect(created.body.timeline).toEqual([expect.objectContaining({ type: 'received', actor: 'consumer:u1' })]);

    // The workflow runs under an id derived from the complaint id.
    const description = await temporal.workflow.getHandle(complaintWorkflowId(id)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('complaintWorkflow');

    // An activity wrote the case to MongoDB through the mongoose model.
    const stored = await eventually(() => db.collection('complaints').findOne({ _id: id as never }));
    expect(stored).toMatchObject({ customerId: 'u1', orderId: body.orderId, status: 'received' });

    const fetched = await service.api.get(`/api/v1/complaints/${id}`, consumer('u1'));
    expect(fetched.status).toBe(200);
    // GET adds what the screens read (clocks, badge, time zone, the caller's actions, who the
    // investigation waits on) to the same case.
    const { clocks, sla, timeZone, actions, awaitingFindingsFrom, ...complaint } = fetched.body;
    expect(complaint).toEqual(created.body);
    expect({ sla, timeZone, actions, awaitingFindingsFrom }).toEqual({
      sla: expect.objectContaining({ state: 'on_track' }), timeZone: 'Asia/Shanghai', actions: [{ type: 'withdraw' }], awaitingFindingsFrom: [],
    });
    expect(clocks.map((c: { stage: string }) => c.stage)).toEqual(['acknowledge', 'resolve']);
  });

  it('answers GET from the read model once the workflow is gone (after retention)', async () => {
    // A case whose workflow history has been removed: only the read model still has it.
    const archived = openCase({
      id: `archived-${Date.now()}`,
      intake: sampleIntake({ customerId: 'u2', category: 'other' }),
      receivedAt: '2026-01-05T08:00:00.000Z',
      actor: 'consumer:u2',
      policy: loadSlaPolicy(undefined).forSeverity('general'),
    }).state.complaint;
    await new ComplaintReadModel(complaintModel(db)).save({ ...archived, status: 'closed', revision: 9 });
    const fetched = await service.api.get(`/api/v1/complaints/${archived.id}`, consumer('u2'));
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: archived.id, customerId: 'u2', status: 'closed', revision: 9 });
  });

  it('keeps complaints private and rejects bad requests with problem+json', async () => {
    const created = await service.api.post('/api/v1/complaints', newComplaintBody(), consumer('u3'));
    const id: string = created.body.id;

    const other = await service.api.get(`/api/v1/complaints/${id}`, consumer('someone-else'));
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');

    expect((await service.api.get(`/api/v1/complaints/${id}`, department('quality'))).status).toBe(200);
    expect((await service.api.get('/api/v1/complaints/does-not-exist', agent)).status).toBe(404);
    expect((await service.api.get(`/api/v1/complaints/${id}`)).status).toBe(401);
    expect((await service.api.post('/api/v1/complaints', newComplaintBody(), department('legal'))).status).toBe(403);

    const invalid = await service.api.post('/api/v1/complaints', { orderId: 7, contact: { name: 'x' } }, consumer());
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['orderId', 'productName', 'description', 'channel', 'contact.phone']),
    );

    const agentWithoutCustomer = await service.api.post('/api/v1/complaints', newComplaintBody(), agent);
    expect(agentWithoutCustomer.status).toBe(400);
    const byAgent = await service.api.post('/api/v1/complaints', newComplaintBody({ customerId: 'u9', channel: 'phone' }), agent);
    expect(byAgent.status).toBe(201);
    expect(byAgent.body.customerId).toBe('u9');
  });
});
