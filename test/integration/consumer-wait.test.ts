import type { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import {
  agent, consumer, department, eventually, newComplaintBody, secondsPolicy, startTestService, supervisor, testClient, type TestService,
} from '../support/service';

/**
 * Waiting on the consumer and reopening, over HTTP against the real Temporal dev server and
 * FerretDB, with a policy of seconds: the investigation is due 3 s after acknowledgement, the
 * consumer has 8 s to answer, and a closed case may be reopened for 6 s.
 */
describe('waiting on the consumer, and reopening (real servers, second-scale policy)', () => {
  let service: TestService;
  let temporal: Client;
  let db: mongoose.Connection;

  beforeAll(async () => {
    service = await startTestService({
      SLA_POLICY_FILE: secondsPolicy({
        acknowledge: '30s', investigate: '3s', plan: '30s', feedback: '30s', resolve: '20s', revisit: '30s',
        consumerReply: '8s', reopen: '6s',
      }),
    });
    temporal = await testClient(service.mongoUri);
    db = await mongoose.createConnection(service.mongoUri).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await temporal?.connection.close();
    await service?.stop();
  });

  const api = () => service.api;
  const post = async (id: string, action: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) => {
    const res = await api().post(`/api/v1/complaints/${id}/${action}`, body, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const get = async (id: string) => (await api().get(`/api/v1/complaints/${id}`, agent)).body;
  const acknowledged = async (owner = 'u1') => {
    const res = await api().post('/api/v1/complaints', newComplaintBody(), consumer(owner));
    expect(res.status).toBe(201);
    await post(res.body.id, 'acknowledge', {}, agent);
    return res.body.id as string;
  };
  const notices = async (id: string) =>
    (await db.collection('notifications').find({ complaintId: id }).sort({ createdAt: 1 }).toArray()).map((n) => `${n.key}>${n.recipient}`);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const entry = (c: { timeline: Array<{ type: string }> }, type: string) => c.timeline.find((e) => e.type === type) as { at: string; data: any } | undefined;

  it('a question stops the investigation and resolve clocks; the answer moves both deadlines by exactly the wait', async () => {
    const id = await acknowledged();
    const before = (await get(id)).deadlines;
    const asked = await post(id, 'information-request', { question: 'A photo of the leak, please', needed: ['photo'] }, department('quality'));
    expect(asked).toMatchObject({ status: 'awaiting_consumer', informationRequests: [{ key: 'information:1', status: 'open', pausedStages: ['investigate', 'resolve'] }] });
    // Past the investigation's own deadline: nothing warns, nothing breaches while the case waits.
    await sleep(4_000);
    const waiting = await get(id);
    expect(waiting.breaches).toEqual([]);
    expect(waiting.timeline.map((e: { type: string }) => e.type)).not.toContain('deadline_warning');
    expect(waiting.clocks.filter((c: { state: string }) => c.state === 'paused').map((c: { stage: string }) => c.stage)).toEqual(['investigate', 'resolve']);
    expect(waiting.sla).toMatchObject({ state: 'paused', stage: 'investigate', dueAt: before.investigate });
    // The department still owes its findings: the case stays in its inbox.
    const inbox = await api().get('/api/v1/complaints?awaitingFindings=true', department('quality'));
    expect(inbox.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await api().get(`/api/v1/complaints/${id}`, consumer('u1'))).body.actions).toEqual([{ type: 'withdraw' }, { type: 'provideInformation' }]);

    const answered = await post(id, 'information', { text: 'Photo attached', evidence: ['https://img.example/leak.jpg'] }, consumer('u1'));
    expect(answered.status).toBe('investigating');
    const received = entry(answered, 'information_received')!;
    const waited = Date.parse(received.at) - Date.parse(entry(answered, 'information_requested')!.at);
    expect(received.data.pausedMs).toBe(waited);
    for (const stage of ['investigate', 'resolve']) {
      expect(Date.parse(answered.deadlines[stage]) - Date.parse(before[stage]), stage).toBe(waited);
      expect(received.data.deadlines[stage]).toEqual({ from: before[stage], to: answered.deadlines[stage] });
    }
    // The moved deadline is the one the workflow's timer keeps: the breach comes at it, not before.
    const breached = await eventually(async () => ((await get(id)).breaches[0] as { stage: string; deadline: string; at: string } | undefined), 10_000);
    expect(breached).toMatchObject({ stage: 'investigate', deadline: answered.deadlines.investigate });
    expect(Date.parse(breached.at)).toBeGreaterThanOrEqual(Date.parse(answered.deadlines.investigate));
    await eventually(async () => ((await notices(id)).includes('information_received:1>department:quality') ? true : null));
    expect(await notices(id)).toEqual(expect.arrayContaining(['information_request:1>consumer', 'information_received:1>assignee']));
  });

  it('without an answer: a reminder at half the reply time, then the clocks resume and the assignee is told', async () => {
    const id = await acknowledged();
    await post(id, 'information-request', { question: 'The courier slip?' }, agent);
    await eventually(async () => ((await notices(id)).includes('information_reminder:1>consumer') ? true : null), 8_000);
    expect((await get(id)).status).toBe('awaiting_consumer');
    const resumed = await eventually(async () => {
      const c = await get(id);
      return c.status === 'investigating' ? c : null;
    }, 10_000);
    expect(entry(resumed, 'information_not_received')!.data).toMatchObject({ key: 'information:1', deadlines: { investigate: expect.any(Object) } });
    expect(resumed.informationRequests[0].status).toBe('unanswered');
    await eventually(async () => ((await notices(id)).includes('information_not_received:1>assignee') ? true : null));
  });

  it('a withdrawal while waiting ends the case; no breach fires afterwards', async () => {
    const id = await acknowledged();
    await post(id, 'information-request', { question: 'Serial number?' }, agent);
    const refused = await api().post(`/api/v1/complaints/${id}/information-request`, { question: 'Again?' }, agent);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ state: 'awaiting_consumer' });
    await post(id, 'withdraw', { reason: 'Sorted it out myself' }, consumer('u1'));
    await eventually(async () => ((await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name === 'COMPLETED' ? true : null));
    await sleep(3_500);
    const ended = await get(id);
    expect(ended).toMatchObject({ status: 'withdrawn', breaches: [], informationRequests: [{ status: 'cancelled' }] });
  });

  /** A quality case taken to closure (an apology needs no handler). */
  const closed = async (owner = 'u1') => {
    const id = await acknowledged(owner);
    await post(id, 'findings', { department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant' }, department('quality'));
    await post(id, 'plan', { remedy: 'apology', description: 'We are sorry' }, agent);
    await post(id, 'feedback', { accepted: true }, consumer(owner));
    await post(id, 'fulfilment', { done: true }, agent);
    await post(id, 'satisfaction', { score: 2 }, consumer(owner));
    await eventually(async () => ((await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name === 'COMPLETED' ? true : null));
    return id;
  };

  it('reopens a closed case within the window: same id and history, back in investigation with fresh deadlines, counted in the reports', async () => {
    const id = await closed();
    const before = await get(id);
    expect(before.actions).toEqual([{ type: 'reopen' }]);
    // The owner may also have the ended case's personal data erased.
    expect((await api().get(`/api/v1/complaints/${id}`, consumer('u1'))).body.actions).toEqual([{ type: 'reopen' }, { type: 'erasePersonalData' }]);
    const firstRun = (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).runId;
    expect((await api().post(`/api/v1/complaints/${id}/reopen`, { reason: 'x' }, consumer('u2'))).status).toBe(404);
    expect((await api().post(`/api/v1/complaints/${id}/reopen`, { reason: 'x' }, supervisor)).status).toBe(403);
    expect((await api().post(`/api/v1/complaints/${id}/reopen`, {}, consumer('u1'))).status).toBe(400);

    const key = { 'idempotency-key': `reopen-${id}` };
    const res = await api().post(`/api/v1/complaints/${id}/reopen`, { reason: 'The kettle leaks again' }, consumer('u1'), key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // A retry of the same request (its answer lost) is answered, not refused.
    const retried = await api().post(`/api/v1/complaints/${id}/reopen`, { reason: 'The kettle leaks again' }, consumer('u1'), key);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ id, status: 'investigating', reopenCount: 1 });
    expect(res.body).toMatchObject({ id, status: 'investigating', reopenCount: 1 });
    const reopened = await get(id);
    expect(reopened.status).toBe('investigating');
    expect(reopened.timeline.slice(0, before.timeline.length)).toEqual(before.timeline);
    const reopenedAt = entry(reopened, 'reopened')!;
    expect(reopenedAt.data).toMatchObject({ reason: 'The kettle leaks again', count: 1, previousScore: 2 });
    expect(Date.parse(reopened.deadlines.investigate) - Date.parse(reopenedAt.at)).toBe(3_000);
    expect(Date.parse(reopened.deadlines.resolve) - Date.parse(reopenedAt.at)).toBe(20_000);
    const handle = temporal.workflow.getHandle(complaintWorkflowId(id));
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.runId).not.toBe(firstRun);
    // A second reopen of the same case, before it closes again: 409.
    expect((await api().post(`/api/v1/complaints/${id}/reopen`, { reason: 'again' }, agent)).status).toBe(409);

    // The department investigates again and the case goes on as any other.
    const tasks = await eventually(async () => db.collection('handler_tasks').findOne({ _id: `${id}:investigation:quality:r1` as never }));
    expect(tasks).toBeTruthy();
    await eventually(async () => {
      const inbox = await api().get('/api/v1/complaints?awaitingFindings=true', department('quality'));
      return inbox.body.items.some((c: { id: string }) => c.id === id) ? true : null;
    });
    expect((await get(id)).awaitingFindingsFrom).toEqual(['quality']);
    await post(id, 'findings', { department: 'quality', summary: 'Crack in the base', responsibleParty: 'merchant' }, department('quality'));
    expect((await get(id)).status).toBe('planning');

    await eventually(async () => db.collection('report_facts').findOne({ _id: id as never, reopens: 1 }));
    const report = await api().get('/api/v1/reports/summary', supervisor);
    expect(report.status).toBe(200);
    expect(report.body.reopens.byCategory.quality.reopened).toBeGreaterThanOrEqual(1);
    expect(report.body.reopens.rate).toBeGreaterThan(0);
  });

  it('refuses a reopen after the window, and of a case that is not closed', async () => {
    const open = await acknowledged();
    const notClosed = await api().post(`/api/v1/complaints/${open}/reopen`, { reason: 'x' }, consumer('u1'));
    expect(notClosed.status).toBe(409);
    expect(notClosed.body, JSON.stringify(notClosed.body)).toMatchObject({ state: "investigating" });

    const id = await closed();
    await sleep(6_500);
    const late = await api().post(`/api/v1/complaints/${id}/reopen`, { reason: 'Too late?' }, consumer('u1'));
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/reopen window ended/);
    expect((await get(id)).status).toBe('closed');
    expect((await get(id)).actions).toEqual([]);
  });
});
