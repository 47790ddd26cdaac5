import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandlerServer } from '../support/handler-server';
import {
  agent, consumer, department, eventually, newComplaintBody, startTestService, testMongoUri, type TestService,
} from '../support/service';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const secret = 'handler-secret-0123456789';

/**
 * The worker dies (SIGKILL) after the payment service has paid but before its answer
 * arrived. Another worker retries the call with the same idempotency key: paid once.
 */
describe('a refund retried after a worker crash', () => {
  const payments = new HandlerServer(secret);
  let api: TestService;
  const workers: WorkerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    const base = await payments.start();
    // The first call pays and then never answers: the crash window.
    payments.payOnce((_r, nth) => (nth === 1 ? { hang: true } : {}));
    const shared = { TEMPORAL_TASK_QUEUE: `crash-${Date.now()}`, MONGODB_URI: testMongoUri() };
    env = { ...shared, HANDLER_PAYMENTS_URL: `${base}/payments`, HANDLER_PAYMENTS_HMAC_SECRET: secret, HANDLER_TIMEOUT_MS: '120000' };
    api = await startTestService({ ...shared, COMPONENTS: 'api' });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill();
    await api?.stop();
    await payments.stop();
  });

  it('pays once', { timeout: 120_000 }, async () => {
    workers.push(await startWorkerProcess(env));
    const id = (await api.api.post('/api/v1/complaints', newComplaintBody({ category: 'quality' }), consumer('u1'))).body.id;
    await api.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    await api.api.post(`/api/v1/complaints/${id}/findings`, { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' }, department('quality'));
    await api.api.post(`/api/v1/complaints/${id}/plan`, { remedy: 'refund', description: 'Refund', amount: 120 }, agent);
    await api.api.post(`/api/v1/complaints/${id}/feedback`, { accepted: true }, consumer('u1'));

    await eventually(async () => (payments.payments.has(`${id}:refund:v1`) ? true : null), 30_000);
    await workers[0]!.kill('SIGKILL');
    workers.push(await startWorkerProcess(env));

    const resolved = await eventually(async () => {
      const c = (await api.api.get(`/api/v1/complaints/${id}`, agent)).body;
      return c.status === 'resolved' ? c : null;
    }, 60_000);
    const calls = payments.requestsTo('/payments').filter((r) => r.body.complaintId === id);
    expect(calls).toHaveLength(2);
    expect(calls.map((r) => r.headers['idempotency-key'])).toEqual([`${id}:refund:v1`, `${id}:refund:v1`]);
    expect([...payments.payments.keys()].filter((k) => k.startsWith(id))).toHaveLength(1);
    expect(resolved.requests.at(-1)).toMatchObject({ key: 'refund:v1', status: 'done', reference: payments.payments.get(`${id}:refund:v1`)!.reference });
    expect(resolved.timeline.filter((e: { type: string }) => e.type === 'fulfilled')).toHaveLength(1);
  });
});
