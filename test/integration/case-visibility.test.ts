import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/auth';
import { complaintWorkflowId } from '../../domain/complaint';
import { HandlerServer } from '../support/handler-server';
import {
  agent, consumer, department, eventually, newComplaintBody, startTestService, supervisor, testClient, type ApiAnswer,
  type TestService,
} from '../support/service';

const secret = 'handler-secret-0123456789';

/**
 * Who sees what of a case (issue 17, items 2, 3 and 15): a department only the cases it works
 * on, with the contact masked unless its part needs it; a consumer their own case without
 * internal detail; and a 404 that says nothing an unknown id's 404 does not.
 */
describe('case visibility', () => {
  const handlers = new HandlerServer(secret);
  let service: TestService;
  let temporal: Client;

  beforeAll(async () => {
    // Legal's system refuses every request: a handler failure with internal error text.
    handlers.on('/legal', () => ({ status: 422, body: { detail: 'order 77 missing in archive db-legal-2.internal' } }));
    const base = await handlers.start();
    service = await startTestService({
      HANDLER_LEGAL_URL: `${base}/legal`, HANDLER_LEGAL_HMAC_SECRET: secret,
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    temporal = await testClient(service.mongoUri);
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
    await handlers.stop();
  });

  const open = async (owner: string, body: Record<string, unknown> = {}) => {
    const res = await service.api.post('/api/v1/complaints', newComplaintBody(body), consumer(owner));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const act = (id: string, action: string, body: unknown, as: Principal) => service.api.post(`/api/v1/complaints/${id}/${action}`, body, as);
  const ok = async (id: string, action: string, body: unknown, as: Principal) => {
    const res = await act(id, action, body, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const asAgent = async (id: string) => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;

  /** The same status, body and headers (but for the date and the rate limit's count). */
  const expectSameAnswer = (answer: ApiAnswer, unknown: ApiAnswer) => {
    const headers = (a: ApiAnswer) => Object.fromEntries([...a.headers].filter(([name]) => name !== 'date' && !name.startsWith('ratelimit')));
    expect({ status: answer.status, body: answer.body, headers: headers(answer) }).toEqual({
      status: unknown.status, body: unknown.body, headers: headers(unknown),
    });
    expect(answer.status).toBe(404);
  };

  describe('departments', () => {
    it('see and act on only the cases they work on; any other is an unknown id to them', async () => {
      const id = await open('dv-owner', { category: 'quality' });
      await ok(id, 'acknowledge', {}, agent);
      const unknownId = randomUUID();

      const get = (as: Principal, caseId: string) => service.api.get(`/api/v1/complaints/${caseId}`, as);
      expectSameAnswer(await get(department('logistics'), id), await get(department('logistics'), unknownId));
      expectSameAnswer(await get(department('legal'), id), await get(department('legal'), unknownId));

      const legalFindings = { department: 'legal', summary: 'Nothing for us', responsibleParty: 'none' };
      expectSameAnswer(await act(id, 'findings', legalFindings, department('legal')), await act(unknownId, 'findings', legalFindings, department('legal')));
      expectSameAnswer(await act(id, 'fulfilment', { done: true }, department('logistics')), await act(unknownId, 'fulfilment', { done: true }, department('logistics')));
      // The refused findings did not assign legal to the case.
      expect((await asAgent(id)).departments).toEqual(['quality']);
    });

    it('see the contact masked unless their work needs it: logistics while it has goods to collect or deliver', async () => {
      const id = await open('dv-owner2', { category: 'quality' });
      await ok(id, 'acknowledge', {}, agent);
      const masked = { name: 'L***', phone: '861******8000', email: 'l***@example.com' };

      const read = await service.api.get(`/api/v1/complaints/${id}`, department('quality'));
      expect(read.status).toBe(200);
      expect(read.body.contact).toEqual(masked);
      expect(JSON.stringify(read.body)).not.toMatch(/Li Wei|0013|li\.wei@/);
      const found = await ok(id, 'findings', { department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant' }, department('quality'));
      expect(found.contact).toEqual(masked);

      await ok(id, 'plan', { remedy: 'replacement', description: 'Collect the kettle, deliver a new one' }, agent);
      await ok(id, 'feedback', { accepted: true }, consumer('dv-owner2'));
      const delivering = await service.api.get(`/api/v1/complaints/${id}`, department('logistics'));
      expect(delivering.status).toBe(200);
      expect(delivering.body.contact).toEqual({ name: 'Li Wei', phone: '+86 138 0013 8000', email: 'l***@example.com' });
      expect((await service.api.get(`/api/v1/complaints/${id}`, department('quality'))).body.contact).toEqual(masked);

      const delivered = await ok(id, 'fulfilment', { done: true, note: 'Delivered' }, department('logistics'));
      expect(delivered).toMatchObject({ status: 'resolved', contact: masked });
      // Staff who coordinate the case see it whole.
      expect((await asAgent(id)).contact).toEqual(newComplaintBody().contact);
    });
  });

  describe('consumers', () => {
    it('get the same 404 for someone else\'s case as for an unknown id, while it runs and after it ended', async () => {
      const id = await open('cv-owner', { category: 'quality' });
      const stranger = consumer('cv-stranger');
      const unknownId = randomUUID();
      expectSameAnswer(await act(id, 'withdraw', {}, stranger), await act(unknownId, 'withdraw', {}, stranger));
      expectSameAnswer(await service.api.get(`/api/v1/complaints/${id}`, stranger), await service.api.get(`/api/v1/complaints/${unknownId}`, stranger));
      expectSameAnswer(await act(id, 'feedback', { accepted: true }, stranger), await act(unknownId, 'feedback', { accepted: true }, stranger));

      await ok(id, 'withdraw', { reason: 'Changed my mind' }, consumer('cv-owner'));
      await eventually(async () => ((await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name === 'COMPLETED' ? true : null));
      expectSameAnswer(await act(id, 'withdraw', {}, stranger), await act(unknownId, 'withdraw', {}, stranger));
      // The owner is told why the case takes no more actions.
      expect((await act(id, 'withdraw', {}, consumer('cv-owner'))).body).toMatchObject({ status: 409, state: 'withdrawn' });
    });

    it('see their case without staff ids, assignee, internal notes or handler error text', async () => {
      const owner = consumer('cv-owner3');
      const id = await open('cv-owner3', { category: 'legal' });
      await ok(id, 'acknowledge', { note: 'Merchant ticket 4411, call back Tue' }, agent);
      await eventually(async () => ((await asAgent(id)).requests[0]?.status === 'failed' ? true : null), 15_000);
      await ok(id, 'escalate', { reason: 'Repeat complainer, handle with care' }, supervisor);
      const staffView = await asAgent(id);
      expect(staffView).toMatchObject({ assignee: 'a1', requests: [{ status: 'failed', reason: expect.stringContaining('db-legal-2') }] });

      const own = await service.api.get(`/api/v1/complaints/${id}`, owner);
      expect(own.status).toBe(200);
      const withdrawn = await ok(id, 'withdraw', { reason: 'Too slow' }, owner);
      for (const view of [own.body, withdrawn]) {
        const text = JSON.stringify(view);
        for (const internal of ['agent:', 'supervisor:', 'ticket 4411', 'db-legal-2', 'Repeat complainer']) {
          expect(text, internal).not.toContain(internal);
        }
        expect(view).not.toHaveProperty('assignee');
        expect(view).not.toHaveProperty('waitingOn');
        expect(view.requests).toEqual([expect.objectContaining({ key: 'investigation:legal', status: 'failed' })]);
        expect(view.requests[0]).not.toHaveProperty('reason');
        const event = (type: string) => view.timeline.find((e: { type: string }) => e.type === type);
        expect(event('acknowledged')).toMatchObject({ actor: 'agent', data: {} });
        expect(event('handler_request_failed')).toMatchObject({ actor: 'handler:legal', data: { kind: 'investigation' } });
        expect(event('handler_request_failed').data).not.toHaveProperty('reason');
        expect(event('escalated')).toMatchObject({ actor: 'supervisor', data: { from: 1, to: 2 } });
      }
      expect(withdrawn.timeline.at(-1)).toMatchObject({ type: 'withdrawn', actor: 'consumer:cv-owner3', data: { reason: 'Too slow' } });
    });
  });

  describe('the notifications of a case', () => {
    const notifications = (id: string) => service.api.get(`/api/v1/complaints/${id}/notifications`, agent);

    it('are never 404 for a case just opened, asked at once and concurrently', async () => {
      const ids = await Promise.all(Array.from({ length: 4 }, (_v, n) => open(`nv-${n}`)));
      const answers = await Promise.all(ids.flatMap((id) => Array.from({ length: 5 }, () => notifications(id))));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect((await notifications(randomUUID())).status).toBe(404);
    });

    it('are not 404 while no worker has run the case yet (neither the read model nor the outbox has it)', async () => {
      // An API without a worker on its task queue: the workflow is started, nothing more happens.
      const apiOnly = await startTestService({ COMPONENTS: 'api' });
      try {
        const created = await apiOnly.api.post('/api/v1/complaints', newComplaintBody(), consumer('nv-slow'));
        expect(created.status).toBe(201);
        const answer = await apiOnly.api.get(`/api/v1/complaints/${created.body.id}/notifications`, agent);
        expect(answer).toMatchObject({ status: 200, body: { items: [] } });
        expect((await apiOnly.api.get(`/api/v1/complaints/${randomUUID()}/notifications`, agent)).status).toBe(404);
        await temporal.workflow.getHandle(complaintWorkflowId(created.body.id)).terminate('test done');
      } finally {
        await apiOnly.stop();
      }
    });
  });
});
