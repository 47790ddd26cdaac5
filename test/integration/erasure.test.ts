import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import protoPkg from '@temporalio/proto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import {
  agent, consumer, department, eventually, newComplaintBody, ops, startTestService, supervisor, testClient, type TestService,
} from '../support/service';
import { payloadsIn } from '../support/history-fixtures';

/** Personal data of the case that is erased: none of it may be found anywhere afterwards. */
const erased = {
  name: 'Ouyang Wenjing', phone: '+86 139 5555 0101', email: 'ouyang.wenjing@example.org',
  description: 'ERASE-ME kettle cracked', order: 'ERASE-ORDER-17', note: 'ERASE-ME findings text', customer: 'erase-me-customer',
};
const erasedTexts = [erased.name, '139 5555 0101', '13955550101', erased.email, 'ERASE-ME', erased.order, erased.customer];
/** Another case's: still readable. */
const kept = { name: 'Situ Keping', email: 'situ.keping@example.org' };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('erasing a case\'s personal data (real Temporal and FerretDB)', () => {
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

  const post = async (id: string, action: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) => {
    const res = await service.api.post(`/api/v1/complaints/${id}/${action}`, body, as);
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const runEnded = (id: string) => eventually(async () => ((await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name === 'COMPLETED' ? true : null), 20_000);
  /** A quality case taken through every stage to closure, with personal data in each. */
  async function closedCase(owner: string, contact: Record<string, string>, overrides: Record<string, unknown> = {}) {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ contact, ...overrides }), consumer(owner))).body.id as string;
    await post(id, 'acknowledge', { note: `Called ${contact.name}` }, agent);
    await post(id, 'findings', { department: 'quality', summary: erased.note, responsibleParty: 'merchant' }, department('quality'));
    await post(id, 'plan', { remedy: 'apology', description: `Apology to ${contact.name}` }, agent);
    await post(id, 'feedback', { accepted: true, comment: 'ERASE-ME fine' }, consumer(owner));
    await post(id, 'fulfilment', { done: true }, agent);
    await post(id, 'satisfaction', { score: 4, comment: 'ERASE-ME thanks' }, consumer(owner));
    await runEnded(id);
    return id;
  }
  const rawHistory = async (id: string) => {
    const response = await temporal.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: complaintWorkflowId(id) } });
    return { bytes: Buffer.from(protoPkg.temporal.api.history.v1.History.encode(response.history!).finish()), payloads: payloadsIn(response.history) };
  };
  /** What the Temporal UI is shown: the service's /codec endpoint decoding the history's payloads. */
  const decodedByCodec = async (payloads: Payload[]) => {
    const body = { payloads: payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(p.data ?? new Uint8Array()) })) };
    const res = await service.api.call('POST', '/codec/decode', { as: ops, body, headers: { 'x-namespace': 'default' } });
    expect(res.status).toBe(200);
    return (res.body.payloads as Array<{ data: string }>).map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
  };
  const monthOf = (iso: string) => iso.slice(0, 7);

  it('erases a closed case everywhere: history unreadable, read model, outbox, handler tasks, logs and API answers clean; another case still decodes; figures unchanged', async () => {
    const id = await closedCase(erased.customer, { name: erased.name, phone: erased.phone, email: erased.email }, { orderId: erased.order, description: erased.description });
    const other = (await service.api.post('/api/v1/complaints', newComplaintBody({ contact: kept }), consumer('keeper'))).body.id as string;
    await eventually(async () => ((await service.api.get(`/api/v1/complaints/${other}`, agent)).status === 200 ? true : null));

    // Before: the case's history holds its personal data, readable through the codec (the scan below looks at real data).
    const before = await rawHistory(id);
    expect(before.payloads.length).toBeGreaterThan(10);
    const readable = await decodedByCodec(before.payloads);
    for (const text of [erased.name, erased.email, erased.order, 'ERASE-ME']) expect(readable).toContain(text);
    // Each payload of the case names the case's own key, not the service key.
    // Each payload of the case names the case's own key; the SDK's own (search attributes, patch
    // and local-activity markers) are plain and hold nothing of the person.
    const keyIds = (payloads: Payload[]) => new Set(payloads.flatMap((p) => (p.metadata!['encryption-key-id'] ? [Buffer.from(p.metadata!['encryption-key-id']).toString()] : [])));
    expect(keyIds(before.payloads)).toEqual(new Set([`case:${id}`]));
    const plain = before.payloads.filter((p) => !p.metadata!['encryption-key-id']).map((p) => Buffer.from(p.data!).toString()).join('\n');
    for (const text of erasedTexts) expect(plain, text).not.toContain(text);
    const month = monthOf((await service.api.get(`/api/v1/complaints/${id}`, agent)).body.createdAt);
    const policy = (await service.api.get('/api/v1/sla-policy', supervisor)).body.policy;
    const period = { from: `${month}-01T00:00:00Z`, to: new Date(Date.now() + 86_400_000).toISOString() };
    const figures = () => Promise.all([
      service.api.get(`/api/v1/reports/monthly?month=${month}`, supervisor), service.api.get('/api/v1/reports/summary', supervisor),
      service.api.post('/api/v1/reports/what-if', { policy, ...period }, supervisor),
    ]);
    const reportsBefore = await figures();
    expect(reportsBefore[2].status, JSON.stringify(reportsBefore[2].body)).toBe(200);
    expect(reportsBefore[2].body.cases).toBeGreaterThanOrEqual(1);
    expect(reportsBefore[0].status).toBe(200);
    expect(reportsBefore[0].body.totals?.received ?? JSON.stringify(reportsBefore[0].body)).toBeTruthy();

    // The screens are told who may ask: the owner and ops, not agents.
    const offered = async (as: Parameters<TestService['api']['get']>[1]) =>
      ((await service.api.get(`/api/v1/complaints/${id}`, as)).body.actions as Array<{ type: string }>).some((a) => a.type === 'erasePersonalData');
    expect([await offered(consumer(erased.customer)), await offered(ops), await offered(agent)]).toEqual([true, true, false]);
    // A different consumer is told there is no such case.
    expect((await service.api.post(`/api/v1/complaints/${id}/erasure`, {}, consumer('someone-else'))).status).toBe(404);
    const answer = await service.api.post(`/api/v1/ops/complaints/${id}/erase`, { reason: 'Court order 2026-117' }, ops);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ id, status: 'erased', erasedAt: expect.any(String) });

    // The stored history: raw bytes and what the codec (the UI, `temporal workflow show` with it) answers.
    const after = await rawHistory(id);
    for (const text of erasedTexts) expect(after.bytes.includes(Buffer.from(text)), text).toBe(false);
    const decoded = await decodedByCodec(after.payloads);
    for (const text of erasedTexts) expect(decoded, text).not.toContain(text);
    expect(decoded).toContain('[personal data erased]');
    // The other case still decodes.
    const otherPayloads = (await rawHistory(other)).payloads;
    expect(await decodedByCodec(otherPayloads.slice(0, 1))).toContain(kept.email);

    // The read model, the outbox, the handler tasks, the audit log: nothing of the person.
    const stores = await Promise.all(['complaints', 'notifications', 'handler_tasks', 'audit_log', 'report_facts'].map(async (name) =>
      [name, JSON.stringify(await db.collection(name).find({ $or: [{ _id: id as never }, { complaintId: id }, { target: id }] }).toArray())] as const));
    for (const [name, text] of stores) for (const personal of erasedTexts) expect(text, `${personal} in ${name}`).not.toContain(personal);
    const messages = await db.collection('notifications').find({ complaintId: id }).toArray();
    expect(messages.length).toBeGreaterThan(3);
    expect(messages.every((m) => m.to === '[erased]' && m.data.erased === true)).toBe(true);
    // Nor the service's logs, from intake to erasure.
    const logs = service.logs.join('\n');
    for (const personal of erasedTexts) expect(logs, personal).not.toContain(personal);

    // Every API answer: the case reads [erased]; its owner no longer finds it; it cannot be reopened.
    const shown = await service.api.get(`/api/v1/complaints/${id}`, agent);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ status: 'closed', contact: { name: '[erased]' }, customerId: '[erased]', erasedAt: answer.body.erasedAt });
    for (const personal of erasedTexts) expect(JSON.stringify(shown.body), personal).not.toContain(personal);
    expect(shown.body.actions.map((a: { type: string }) => a.type)).not.toContain('reopen');
    expect(await offered(ops)).toBe(false);
    expect((await service.api.get(`/api/v1/complaints/${id}`, consumer(erased.customer))).status).toBe(404);
    const notices = await service.api.get(`/api/v1/complaints/${id}/notifications`, agent);
    for (const personal of erasedTexts) expect(JSON.stringify(notices.body), personal).not.toContain(personal);
    expect((await service.api.post(`/api/v1/complaints/${id}/reopen`, { reason: 'Broke again' }, agent)).status).toBe(409);
    const action = await service.api.post(`/api/v1/complaints/${id}/escalate`, { reason: 'Late' }, supervisor);
    expect(action.status, JSON.stringify(action.body)).toBe(409);

    // The audit log says who, which case, when and why.
    const described = await service.api.get(`/api/v1/ops/complaints/${id}`, ops);
    expect(described.body.audit).toEqual([expect.objectContaining({ actor: 'ops:o1', action: 'erase_personal_data', target: id, reason: 'Court order 2026-117', details: { trigger: 'ops', scheme: 'case-key' } })]);

    // The ops replay says plainly that the case is erased, and still replays the other.
    const replay = await service.api.post('/api/v1/ops/replay', { ids: [id, other] }, ops);
    expect(replay.status).toBe(200);
    expect(replay.body.results).toEqual(expect.arrayContaining([
      expect.objectContaining({ id, result: 'erased', error: expect.stringContaining('erased') }),
      expect.objectContaining({ id: other, result: 'ok' }),
    ]));

    // No reset brings an erased case back (its new run could decrypt nothing): 409, run unchanged.
    const run = (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).runId;
    const reset = await service.api.post(`/api/v1/ops/complaints/${id}/reset`, { to: 'last-workflow-task', reason: 'Bring it back' }, ops);
    expect(reset.status, JSON.stringify(reset.body)).toBe(409);
    expect(reset.body.detail).toContain('erased');
    const afterReset = (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe());
    expect([afterReset.runId, afterReset.status.name]).toEqual([run, 'COMPLETED']);

    // Asked again: the same answer, nothing done twice.
    const again = await service.api.post(`/api/v1/ops/complaints/${id}/erase`, { reason: 'Again' }, ops);
    expect(again.body).toEqual(answer.body);
    expect((await service.api.get(`/api/v1/ops/complaints/${id}`, ops)).body.audit).toHaveLength(1);

    // Every figure survives.
    const reportsAfter = await figures();
    expect(reportsAfter.map((r) => r.body)).toEqual(reportsBefore.map((r) => r.body));
  });

  it('the consumer\'s own request: 409 while the case is open (nothing changes), carried out once it is withdrawn', async () => {
    const contact = { name: 'ERASE-ME Qiu', email: 'erase-me.qiu@example.org' };
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ contact }), consumer('qiu'))).body.id as string;
    await eventually(async () => ((await service.api.get('/api/v1/complaints?status=received', consumer('qiu'))).body.items.length > 0 ? true : null));
    const refused = await service.api.post(`/api/v1/complaints/${id}/erasure`, {}, consumer('qiu'));
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/closed or withdrawn/);
    const still = await service.api.get(`/api/v1/complaints/${id}`, consumer('qiu'));
    expect(still.body).toMatchObject({ contact, status: 'received' });
    expect(still.body.erasedAt).toBeUndefined();
    // Agents cannot ask on the consumer's behalf through this endpoint.
    expect((await service.api.post(`/api/v1/complaints/${id}/erasure`, {}, agent)).status).toBe(403);

    await post(id, 'withdraw', { reason: 'ERASE-ME changed my mind' }, consumer('qiu'));
    const done = await service.api.post(`/api/v1/complaints/${id}/erasure`, {}, consumer('qiu'));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ id, status: 'erased' });
    const shown = await service.api.get(`/api/v1/complaints/${id}`, agent);
    expect(JSON.stringify(shown.body)).not.toContain('ERASE-ME');
    const audit = (await service.api.get(`/api/v1/ops/complaints/${id}`, ops)).body.audit;
    // The owner's account id is not in the audit log either.
    expect(audit).toEqual([expect.objectContaining({ actor: 'consumer', reason: 'the consumer\'s own request', details: { trigger: 'consumer', scheme: 'case-key' } })]);
    expect(JSON.stringify(audit)).not.toContain('qiu');
  });

  it('a case with payloads under the service key too (its intake could not reach the database in time) has its histories deleted', async () => {
    const contact = { name: 'ERASE-ME Mixed', email: 'erase-me.mixed@example.org' };
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ contact }), consumer('mixed'))).body.id as string;
    // A client with the service key only: its update's payloads are under that key.
    const serviceKeyOnly = await testClient();
    try {
      await serviceKeyOnly.workflow.getHandle(complaintWorkflowId(id)).executeUpdate('withdraw', {
        args: [{ actor: { role: 'consumer', sub: 'mixed' }, input: { reason: 'ERASE-ME under the service key' } }],
      }).catch((err: Error) => expect(err.message).toMatch(/unknown key case:/)); // applied; its answer is under the case key

    } finally {
      await serviceKeyOnly.connection.close();
    }
    await runEnded(id);
    const done = await service.api.post(`/api/v1/ops/complaints/${id}/erase`, { reason: 'Retention test' }, ops);
    expect(done.body).toMatchObject({ status: 'erased' });
    // Temporal deletes a run in the background (the dev server within a minute): then no history is left.
    await eventually(() => temporal.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: complaintWorkflowId(id) } })
      .then(() => null, (err: Error) => (/not found/i.test(err.message) ? true : null)), 100_000);
    const audit = (await service.api.get(`/api/v1/ops/complaints/${id}`, ops));
    expect(audit.status).toBe(404); // no workflow left to describe
    expect(await db.collection('audit_log').find({ target: id }).toArray()).toEqual([expect.objectContaining({ details: { trigger: 'ops', scheme: 'mixed' } })]);
    expect(JSON.stringify(await db.collection('complaints').findOne({ _id: id as never }))).not.toContain('ERASE-ME');
  }, 150_000);

  it('answers 404 for an unknown case and 400 for an ops request without a reason', async () => {
    expect((await service.api.post('/api/v1/ops/complaints/no-such-case/erase', { reason: 'Court order' }, ops)).status).toBe(404);
    const bad = await service.api.post('/api/v1/ops/complaints/no-such-case/erase', {}, ops);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'reason' })]));
    expect((await service.api.post('/api/v1/ops/complaints/no-such-case/erase', { reason: 'x' }, agent)).status).toBe(403);
  });
});
