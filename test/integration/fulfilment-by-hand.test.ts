import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findings, HandlerServer } from '../support/handler-server';
import { agent, consumer, department, eventually, newComplaintBody, startTestService, type TestService } from '../support/service';

const secret = 'handler-secret-0123456789';

/**
 * Confirming a remedy by hand, against handlers in http mode on a real local server: only the
 * party that owns a request completes it, a payment call in flight is never overtaken by a
 * hand (one payment per plan version), and a call whose request was settled by hand stops.
 */
describe('fulfilment confirmed by hand', () => {
  const handlers = new HandlerServer(secret);
  let service: TestService;

  beforeAll(async () => {
    const base = await handlers.start();
    service = await startTestService({
      HANDLER_QUALITY_URL: `${base}/quality`,
      HANDLER_LOGISTICS_URL: `${base}/logistics`,
      HANDLER_PAYMENTS_URL: `${base}/payments`,
      // One secret per receiver (runtime/config.ts refuses a shared one).
      HANDLER_QUALITY_HMAC_SECRET: `${secret}-quality`,
      HANDLER_LOGISTICS_HMAC_SECRET: `${secret}-logistics`,
      HANDLER_PAYMENTS_HMAC_SECRET: `${secret}-payments`,
      HANDLER_TIMEOUT_MS: '500',
    });
    handlers.on('/quality', () => findings('Defect confirmed')).on('/logistics', () => ({ status: 202 }));
  });
  afterAll(async () => {
    await service?.stop();
    await handlers.stop();
  });

  const get = async (id: string) => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
  const until = (id: string, test: (c: any) => boolean, timeoutMs = 20_000) =>
    eventually(async () => {
      const c = await get(id);
      return test(c) ? c : null;
    }, timeoutMs);
  const toFulfilling = async (remedy: string, category = 'quality') => {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ category }), consumer('u1'))).body.id as string;
    expect((await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent)).status).toBe(200);
    if (category !== 'quality') {
      await service.api.post(`/api/v1/complaints/${id}/findings`, { department: category, summary: 'Seen', responsibleParty: 'carrier' }, department(category as 'logistics'));
    }
    await until(id, (c) => c.status === 'planning');
    expect((await service.api.post(`/api/v1/complaints/${id}/plan`, { remedy, description: 'Remedy', amount: 88 }, agent)).status).toBe(200);
    expect((await service.api.post(`/api/v1/complaints/${id}/feedback`, { accepted: true }, consumer('u1'))).status).toBe(200);
    return id;
  };

  it('refuses a hand confirmation while the refund call is in flight, and pays once when the service recovers', async () => {
    let down = true;
    handlers.payOnce(() => (down ? { status: 503, body: { detail: 'bank link down' } } : {}));
    const id = await toFulfilling('refund', 'logistics');
    await until(id, (c) => c.waitingOn?.some((w: any) => w.request === 'refund:v1' && w.attempt >= 2));

    const byLogistics = await service.api.post(`/api/v1/complaints/${id}/fulfilment`, { done: true }, department('logistics'));
    expect(byLogistics.status, JSON.stringify(byLogistics.body)).toBe(403);
    expect(byLogistics.body.detail).toMatch(/payments/);
    const byAgent = await service.api.post(`/api/v1/complaints/${id}/fulfilment`, { done: true }, agent);
    expect(byAgent.status).toBe(409);
    expect(byAgent.body.detail).toMatch(/could pay twice/);
    expect((await get(id)).status).toBe('fulfilling');

    down = false;
    const resolved = await until(id, (c) => c.status === 'resolved');
    expect([...handlers.payments.keys()].filter((k) => k.startsWith(id))).toEqual([`${id}:refund:v1`]);
    expect(resolved.timeline.filter((e: any) => e.type === 'fulfilled')).toEqual([expect.objectContaining({ actor: 'handler:payments' })]);
  });

  it('cancels the logistics call when logistics confirms its own remedy by hand', async () => {
    handlers.on('/logistics', () => ({ status: 503, body: { detail: 'depot system down' } }));
    const id = await toFulfilling('replacement', 'logistics');
    await until(id, (c) => c.waitingOn?.some((w: any) => w.request === 'replacement:v1' && w.attempt >= 2));

    const confirmed = await service.api.post(`/api/v1/complaints/${id}/fulfilment`, { done: true, note: 'Delivered by courier' }, department('logistics'));
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('resolved');
    // The call is cancelled: nothing waits on it, and the handler hears no more of it.
    await until(id, (c) => !c.waitingOn?.some((w: any) => w.activity === 'callHandler'));
    const calls = handlers.requestsTo('/logistics').filter((r) => r.body.complaintId === id && r.body.kind === 'replacement').length;
    await new Promise((r) => setTimeout(r, 3000));
    expect(handlers.requestsTo('/logistics').filter((r) => r.body.complaintId === id && r.body.kind === 'replacement').length).toBe(calls);
  });
});
