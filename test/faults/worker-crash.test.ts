import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandlerServer } from '../support/handler-server';
import {
  agent, consumer, department, newComplaintBody, ops, startTestService, testMongoUri, type TestService,
} from '../support/service';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { recordFigure } from './figures';

// One secret per receiver: the payment service and the notification gateway.
const secrets = { '/payments': 'faults-payments-secret-0123', '/notify': 'faults-gateway-secret-0123' };
const lifecycles = 50;

/**
 * Fault 1: the worker is killed with SIGKILL three times, at random moments, while 50 complaints
 * run their whole lifecycle (refund through the payment service, notifications through a gateway).
 * Every case completes; every refund is paid once; every notification is written once.
 */
describe('worker killed during 50 concurrent lifecycles', () => {
  const handlers = new HandlerServer(secrets);
  let api: TestService;
  let db: mongoose.Connection;
  let worker: WorkerProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const base = await handlers.start();
    handlers.payOnce().on('/notify', () => ({ status: 200 }));
    const shared = { TEMPORAL_TASK_QUEUE: `faults-crash-${Date.now()}`, MONGODB_URI: testMongoUri() };
    env = {
      ...shared, HANDLER_PAYMENTS_URL: `${base}/payments`, HANDLER_PAYMENTS_HMAC_SECRET: secrets['/payments'],
      NOTIFY_ADAPTER: 'webhook', NOTIFY_WEBHOOK_URL: `${base}/notify`, NOTIFY_WEBHOOK_HMAC_SECRET: secrets['/notify'], NOTIFY_POLL_MS: '200',
    };
    api = await startTestService({ ...shared, COMPONENTS: 'api', RATE_LIMIT_PER_MINUTE: '100000' });
    db = await mongoose.createConnection(shared.MONGODB_URI).asPromise();
  });
  afterAll(async () => {
    await worker?.kill();
    await db?.close();
    await api?.stop();
    await handlers.stop();
  });

  /**
   * An action that answers 200 in the end: the API waits for the update while no worker runs.
   * A 409 is retried too: around a crash, a query can show a state its workflow had not yet
   * committed (here: resolved by a payment whose completion died with the worker, before the
   * retried payment call confirmed it again), so the consumer's next step may come too early.
   */
  async function act(id: string, action: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) {
    for (let attempt = 0; ; attempt++) {
      // One key per step: a retry after a lost answer gets the first answer, not a 409.
      const res = await api.api
        .post(`/api/v1/complaints/${id}/${action}`, body, as, { 'idempotency-key': `${id}:${action}` })
        .catch(() => ({ status: 0, body: null }));
      if (res.status === 200) return res.body;
      const retryable = res.status === 0 || res.status >= 500 || res.status === 409;
      if (attempt > 240 || !retryable) {
        // A 500's cause is in the API's log only: name it, so a failed run says what broke.
        const cause = api.logs.filter((l) => l.includes('request failed')).slice(-1)[0]?.slice(0, 2000) ?? '';
        throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)} ${cause}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  async function until(id: string, status: string) {
    let last: unknown;
    for (let i = 0; i < 600; i++) {
      const res = await api.api.get(`/api/v1/complaints/${id}`, agent).catch((err: Error) => ({ status: 0, body: err.message }));
      if (res.body?.status === status) return res.body;
      last = { http: res.status, status: res.body?.status, detail: res.body?.detail ?? res.body };
      await new Promise((r) => setTimeout(r, 500));
    }
    // Say why: the API's last logged errors (a 500 is logged there, not answered).
    // and what ops sees of the workflow (a failing workflow task names its cause there).
    const errors = api.logs.filter((line) => /"level":(50|60)/.test(line)).slice(-3).map((line) => line.slice(0, 1500));
    const described = await api.api.get(`/api/v1/ops/complaints/${id}`, ops).catch((err: Error) => ({ body: err.message }));
    throw new Error(
      `${id} never became ${status}; last answer ${JSON.stringify(last)}; API errors:\n${errors.join('\n')}\n` +
        `ops describe: ${JSON.stringify(described.body).slice(0, 4000)}`,
    );
  }

  it('completes every case, pays every refund once and writes every notification once', { timeout: 600_000 }, async () => {
    worker = await startWorkerProcess(env);
    const started = Date.now();
    let kills = 0;
    let running = true;
    // How many cases have passed each step. The worker is killed once half of them have passed
    // one, a random moment later: always in the middle of the lifecycles, with the others' steps
    // in flight — a kill on a timer could come after every case had finished (a faster worker).
    const passed = { acknowledged: 0, planned: 0, accepted: 0 };
    const killer = (async () => {
      for (const step of ['acknowledged', 'planned', 'accepted'] as const) {
        while (running && passed[step] < lifecycles / 2) await new Promise((r) => setTimeout(r, 50));
        if (!running) break;
        await new Promise((r) => setTimeout(r, Math.random() * 1000));
        await worker!.kill('SIGKILL');
        kills += 1;
        worker = await startWorkerProcess(env);
      }
    })();

    const ids = await Promise.all(
      Array.from({ length: lifecycles }, async (_, i) => {
        const owner = `crash-${i}`;
        const created = await api.api.post('/api/v1/complaints', newComplaintBody({ category: 'quality' }), consumer(owner), {
          'idempotency-key': `crash-${started}-${i}`,
        });
        const id: string = created.body.id;
        await act(id, 'acknowledge', {}, agent);
        passed.acknowledged += 1;
        await act(id, 'findings', { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' }, department('quality'));
        await act(id, 'plan', { remedy: 'refund', description: 'Refund', amount: 100 + i }, agent);
        passed.planned += 1;
        await act(id, 'feedback', { accepted: true }, consumer(owner));
        passed.accepted += 1;
        await until(id, 'resolved');
        await act(id, 'satisfaction', { score: 5 }, consumer(owner));
        return id;
      }),
    );
    running = false;
    await killer;

    // Every case closed, each step once on its timeline.
    const closed = await Promise.all(ids.map((id) => until(id, 'closed')));
    for (const c of closed) {
      const types = c.timeline.map((e: { type: string }) => e.type);
      for (const once of ['received', 'acknowledged', 'plan_proposed', 'plan_accepted', 'fulfilled', 'resolved', 'closed']) {
        expect(types.filter((t: string) => t === once), `${c.id} ${once}`).toHaveLength(1);
      }
    }
    // Every refund paid once, with the amount of its plan.
    for (const [i, id] of ids.entries()) {
      expect([...handlers.payments.keys()].filter((k) => k.startsWith(id))).toEqual([`${id}:refund:v1`]);
      expect(handlers.payments.get(`${id}:refund:v1`)!.amount).toBe(100 + i);
    }
    // Every notification written once, and delivered.
    const expected = ['received', 'acknowledged', 'plan_proposed:v1', 'resolved', 'satisfaction_request', 'closed'];
    const deadline = Date.now() + 120_000;
    let rows: Array<{ complaintId: string; key: string; status: string; _id: string }> = [];
    for (;;) {
      rows = await db.collection('notifications').find({ complaintId: { $in: ids } }).toArray() as never;
      if (rows.length >= ids.length * expected.length && rows.every((r) => r.status === 'sent')) break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const id of ids) {
      expect(rows.filter((r) => r.complaintId === id).map((r) => r.key).sort(), id).toEqual([...expected].sort());
    }
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const received = handlers.requestsTo('/notify').map((r) => r.body.id as string);
    const unique = new Set(received);
    expect(rows.every((r) => unique.has(r._id))).toBe(true);
    recordFigure('workerCrash', {
      lifecycles, kills, seconds: Math.round((Date.now() - started) / 1000),
      payments: handlers.payments.size, paymentCalls: handlers.requestsTo('/payments').length,
      notifications: rows.length, deliveries: received.length, repeatedDeliveries: received.length - unique.size,
    });
    expect(kills).toBe(3);
  });
});
