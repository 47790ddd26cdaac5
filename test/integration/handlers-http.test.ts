import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../activities/handlers';
import { findings, HandlerServer } from '../support/handler-server';
import {
  agent, consumer, department, eventually, newComplaintBody, startTestService, supervisor, type TestService,
} from '../support/service';

// One secret per receiver: a department's secret cannot sign a payment call.
const secrets = {
  '/quality': 'quality-secret-0123456789', '/logistics': 'logistics-secret-0123456789',
  '/legal': 'legal-secret-0123456789', '/payments': 'payments-secret-0123456789',
};

/**
 * Handlers in http mode against a real local HTTP server: 200 with findings, 202 then findings
 * through the API, 500s then recovery, a time-out, a 4xx, and a refund that pays once.
 */
describe('department handlers and payments over HTTP', () => {
  const handlers = new HandlerServer(secrets);
  let service: TestService;

  beforeAll(async () => {
    const base = await handlers.start();
    service = await startTestService({
      HANDLER_QUALITY_URL: `${base}/quality`,
      HANDLER_LOGISTICS_URL: `${base}/logistics`,
      HANDLER_LEGAL_URL: `${base}/legal`,
      HANDLER_PAYMENTS_URL: `${base}/payments`,
      HANDLER_QUALITY_HMAC_SECRET: secrets['/quality'],
      HANDLER_LOGISTICS_HMAC_SECRET: secrets['/logistics'],
      HANDLER_LEGAL_HMAC_SECRET: secrets['/legal'],
      HANDLER_PAYMENTS_HMAC_SECRET: secrets['/payments'],
      HANDLER_TIMEOUT_MS: '500',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await handlers.stop();
  });

  const open = async (body: Record<string, unknown>, owner = 'u1') => {
    const res = await service.api.post('/api/v1/complaints', newComplaintBody(body), consumer(owner));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const post = async (id: string, action: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) => {
    const res = await service.api.post(`/api/v1/complaints/${id}/${action}`, body, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const get = async (id: string) => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
  const until = (id: string, test: (c: any) => boolean, timeoutMs = 15_000) =>
    eventually(async () => {
      const c = await get(id);
      return test(c) ? c : null;
    }, timeoutMs);
  const requestFor = (path: string, id: string) => handlers.requestsTo(path).filter((r) => r.body.complaintId === id);

  it('completes a department\'s part at once when its handler answers 200 with findings', async () => {
    handlers.on('/quality', () => findings('Seal defect confirmed'));
    const id = await open({ category: 'quality' });
    await post(id, 'acknowledge', {}, agent);
    const planning = await until(id, (c) => c.status === 'planning');
    expect(planning.findings).toEqual([expect.objectContaining({ department: 'quality', summary: 'Seal defect confirmed' })]);
    expect(planning.timeline.find((e: any) => e.type === 'findings_submitted').actor).toBe('handler:quality');

    const [sent] = requestFor('/quality', id);
    expect(sent!.signatureValid).toBe(true);
    expect(sent!.headers['idempotency-key']).toBe(`${id}:investigation:quality`);
    expect(sent!.body).toMatchObject({ kind: 'investigation', case: { orderId: expect.any(String), productName: 'Electric kettle' } });
    // No more personal data than the department needs: none.
    const raw = JSON.stringify(sent!.body);
    for (const personal of ['Li Wei', '138 0013 8000', 'li.wei@example.com']) expect(raw).not.toContain(personal);
    expect(signBody(secrets['/quality'], String(sent!.headers['x-complaints-timestamp']), JSON.stringify(sent!.body))).toBe(sent!.headers['x-complaints-signature']);
  });

  it('waits for the findings through the API when the handler answers 202', async () => {
    handlers.on('/legal', () => ({ status: 202 }));
    const id = await open({ category: 'false_advertising' });
    await post(id, 'acknowledge', {}, agent);
    const accepted = await until(id, (c) => c.requests.some((r: any) => r.key === 'investigation:legal' && r.status === 'accepted'));
    expect(accepted.status).toBe('investigating');
    const done = await post(id, 'findings', { department: 'legal', summary: 'The advert overstated capacity', responsibleParty: 'merchant' }, department('legal'));
    expect(done.status).toBe('planning');
    expect(done.requests[0]).toMatchObject({ key: 'investigation:legal', status: 'done' });
  });

  it('keeps retrying a handler that answers 500, visibly, and goes on when it recovers', async () => {
    let failing = true;
    handlers.on('/logistics', () => (failing ? { status: 503, body: { detail: 'depot system down' } } : findings('Parcel crushed in transit', 'carrier')));
    const id = await open({ category: 'logistics' });
    await post(id, 'acknowledge', {}, agent);
    const waiting = await until(id, (c) => c.waitingOn?.some((w: any) => w.attempt >= 3));
    expect(waiting.waitingOn).toEqual([
      expect.objectContaining({
        activity: 'callHandler', request: 'investigation:logistics', state: expect.stringMatching(/retrying|running/),
        lastFailure: expect.stringContaining('503'),
      }),
    ]);
    expect(waiting.status).toBe('investigating');
    failing = false;
    const recovered = await until(id, (c) => c.status === 'planning');
    expect(recovered.findings[0]).toMatchObject({ department: 'logistics', responsibleParty: 'carrier' });
    expect(requestFor('/logistics', id).length).toBeGreaterThanOrEqual(3);
    expect(new Set(requestFor('/logistics', id).map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${id}:investigation:logistics`]));
    // Nothing waits on the handler any more (a read-model write may be in flight, that is fine).
    expect((await get(id)).waitingOn.filter((w: any) => w.activity === 'callHandler')).toEqual([]);
  });

  it('retries a handler that does not answer in time', async () => {
    handlers.on('/quality', (_r, nth) => (nth === 1 ? { ...findings('late'), delayMs: 2000 } : findings('On time now')));
    const before = handlers.requestsTo('/quality').length;
    const id = await open({ category: 'quality' });
    handlers.on('/quality', (_r, nth) => (nth === before + 1 ? { ...findings('late'), delayMs: 2000 } : findings('On time now')));
    await post(id, 'acknowledge', {}, agent);
    const done = await until(id, (c) => c.status === 'planning');
    expect(done.findings[0].summary).toBe('On time now');
    expect(requestFor('/quality', id)).toHaveLength(2);
  });

  it('records a 4xx refusal with its reason and lets staff take over by hand', async () => {
    handlers.on('/legal', () => ({ status: 422, body: { detail: 'order not found in the legal archive' } }));
    const id = await open({ category: 'legal' });
    await post(id, 'acknowledge', {}, agent);
    const refused = await until(id, (c) => c.requests[0]?.status === 'failed');
    expect(refused.requests[0]).toMatchObject({ key: 'investigation:legal', reason: '422 order not found in the legal archive' });
    expect(refused.timeline.at(-1)).toMatchObject({ type: 'handler_request_failed', actor: 'handler:legal' });
    expect(requestFor('/legal', id)).toHaveLength(1); // not retried
    const notices = await eventually(async () => {
      const res = await service.api.get(`/api/v1/complaints/${id}/notifications`, supervisor);
      const items = res.body.items.filter((n: any) => n.event === 'handler_failed');
      return items.length === 2 ? items : null;
    });
    expect(notices.map((n: any) => n.recipient).sort()).toEqual(['assignee', 'supervisor']);
    const byHand = await post(id, 'findings', { department: 'legal', summary: 'Checked by hand', responsibleParty: 'none' }, department('legal'));
    expect(byHand.status).toBe('planning');
  });

  it('pays a refund once although the first call timed out and was retried', async () => {
    handlers.on('/quality', () => findings('Defect'));
    // The payment is made, but the first answer comes too late: the activity retries with the same key.
    handlers.payOnce((_r, nth) => (nth === 1 ? { delayMs: 1500 } : {}));
    const id = await open({ category: 'quality' });
    await post(id, 'acknowledge', {}, agent);
    await until(id, (c) => c.status === 'planning');
    await post(id, 'plan', { remedy: 'refund', description: 'Full refund', amount: 199 }, agent);
    await post(id, 'feedback', { accepted: true }, consumer('u1'));
    const resolved = await until(id, (c) => c.status === 'resolved');
    const calls = requestFor('/payments', id);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${id}:refund:v1`]));
    expect([...handlers.payments.keys()].filter((k) => k.startsWith(id))).toEqual([`${id}:refund:v1`]);
    expect(resolved.requests.at(-1)).toMatchObject({ key: 'refund:v1', status: 'done', reference: handlers.payments.get(`${id}:refund:v1`)!.reference });
    expect(calls[0]!.body.plan).toMatchObject({ remedy: 'refund', amount: 199, currency: 'CNY', version: 1 });
  });

  it('signs every call with its receiver\'s own secret', () => {
    expect(new Set(handlers.requests.map((r) => r.path))).toEqual(new Set(Object.keys(secrets)));
    for (const request of handlers.requests) expect(request.signatureValid, `${request.path} signature`).toBe(true);
  });
});
