import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/auth';
import { findings, HandlerServer } from '../support/handler-server';
import {
  agent, consumer, department, eventually, newComplaintBody, startTestService, type TestService,
} from '../support/service';

// One secret per receiver, as the configuration demands.
const secrets = {
  '/quality': 'quality-secret-0123456789', '/logistics': 'logistics-secret-0123456789',
  '/legal': 'legal-secret-0123456789', '/payments': 'payments-secret-0123456789',
};

/**
 * The three shapes of complaint the platform sees most, end to end through their handlers,
 * once with every handler manual (staff answer through the API) and once over HTTP.
 */
describe.each(['manual', 'http'] as const)('end to end through the handlers, %s mode', (mode) => {
  const handlers = new HandlerServer(secrets);
  let service: TestService;

  beforeAll(async () => {
    const base = await handlers.start();
    handlers
      .on('/quality', () => findings('Heating element defective'))
      .on('/legal', () => findings('Advert claimed 2 L, product holds 1.5 L'))
      .on('/logistics', (r) => (r.body.kind === 'investigation' ? findings('Box crushed in transit', 'carrier') : { status: 200, body: { reference: 'DLV-7' } }))
      .payOnce();
    service = await startTestService(
      mode === 'http'
        ? {
            HANDLER_QUALITY_URL: `${base}/quality`, HANDLER_LOGISTICS_URL: `${base}/logistics`,
            HANDLER_LEGAL_URL: `${base}/legal`, HANDLER_PAYMENTS_URL: `${base}/payments`,
            HANDLER_QUALITY_HMAC_SECRET: secrets['/quality'], HANDLER_LOGISTICS_HMAC_SECRET: secrets['/logistics'],
            HANDLER_LEGAL_HMAC_SECRET: secrets['/legal'], HANDLER_PAYMENTS_HMAC_SECRET: secrets['/payments'],
          }
        : {},
    );
  });
  afterAll(async () => {
    await service?.stop();
    await handlers.stop();
  });

  const post = async (id: string, action: string, body: unknown, as: Principal) => {
    const res = await service.api.post(`/api/v1/complaints/${id}/${action}`, body, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const until = (id: string, status: string) =>
    eventually(async () => {
      const c = (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
      return c.status === status ? c : null;
    }, 15_000);

  /** Opens, acknowledges, investigates (by hand in manual mode), plans, accepts, fulfils, rates. */
  async function run(options: {
    category: string;
    department: 'quality' | 'logistics' | 'legal';
    plan: { remedy: string; description: string; amount?: number };
    fulfilledBy: Principal;
  }) {
    const created = await service.api.post('/api/v1/complaints', newComplaintBody({ category: options.category }), consumer('u1'));
    const id: string = created.body.id;
    await post(id, 'acknowledge', {}, agent);
    if (mode === 'manual') {
      await until(id, 'investigating');
      await post(id, 'findings', { department: options.department, summary: 'Checked by staff', responsibleParty: 'merchant' }, department(options.department));
    }
    const planning = await until(id, 'planning');
    expect(planning.findings.map((f: any) => f.department)).toEqual([options.department]);
    await post(id, 'plan', options.plan, agent);
    await post(id, 'feedback', { accepted: true }, consumer('u1'));
    if (mode === 'manual') {
      // A task waits for staff.
      await eventually(async () => {
        const c = (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
        return c.status === 'fulfilling' && c.requests.at(-1)?.status === 'accepted' ? c : null;
      }, 15_000);
      await post(id, 'fulfilment', { done: true, note: 'Done by staff' }, options.fulfilledBy);
    }
    const resolved = await until(id, 'resolved');
    const closed = await post(id, 'satisfaction', { score: 5 }, consumer('u1'));
    expect(closed.status).toBe('closed');
    return { id, resolved, closed };
  }

  it('a quality complaint, refunded through payments', async () => {
    const { id, closed } = await run({
      category: 'quality', department: 'quality', plan: { remedy: 'refund', description: 'Full refund', amount: 299 }, fulfilledBy: agent,
    });
    expect(closed.requests.map((r: any) => `${r.key}:${r.handler}:${r.status}`)).toEqual([
      'investigation:quality:quality:done', 'refund:v1:payments:done',
    ]);
    if (mode === 'http') {
      expect(closed.requests[1].reference).toBe(handlers.payments.get(`${id}:refund:v1`)!.reference);
      expect(handlers.payments.get(`${id}:refund:v1`)!.amount).toBe(299);
    } else {
      expect(handlers.requests.filter((r) => r.body.complaintId === id)).toEqual([]);
    }
  });

  it('a logistics complaint, with a replacement picked up and delivered by logistics', async () => {
    const { id, closed } = await run({
      category: 'logistics', department: 'logistics', plan: { remedy: 'replacement', description: 'Pick up the damaged kettle, deliver a new one' },
      fulfilledBy: department('logistics'),
    });
    expect(closed.requests.map((r: any) => `${r.kind}:${r.handler}:${r.status}`)).toEqual([
      'investigation:logistics:done', 'replacement:logistics:done',
    ]);
    if (mode === 'http') {
      expect(closed.requests[1].reference).toBe('DLV-7');
      expect(handlers.requests.find((r) => r.body.complaintId === id && r.body.kind === 'replacement')!.body.plan.remedy).toBe('replacement');
    }
  });

  it('a false-advertising complaint, investigated by legal and compensated', async () => {
    const { closed } = await run({
      category: 'false_advertising', department: 'legal', plan: { remedy: 'compensation', description: 'Compensation for the misleading advert', amount: 50 },
      fulfilledBy: agent,
    });
    expect(closed.requests.map((r: any) => `${r.kind}:${r.handler}:${r.status}`)).toEqual([
      'investigation:legal:done', 'compensation:payments:done',
    ]);
  });
});
