import type { Principal } from '../../../api/auth';
import { agent, consumer, department, newComplaintBody } from '../../support/service';
import { apis } from './control';

/**
 * Complaints driven through the cluster's two APIs in turn, as clients behind a load balancer:
 * every step keyed (Idempotency-Key), so a retry after a lost answer or a 503 runs once.
 */
export function caseDriver(runId: string) {
  const api = apis();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function open(owner: string, overrides: Record<string, unknown> = {}): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const res = await api
        .next()
        .post('/api/v1/complaints', newComplaintBody(overrides), consumer(owner), { 'idempotency-key': `${runId}-${owner}` })
        .catch(() => ({ status: 0, body: null }));
      if (res.status === 201 || res.status === 200) return res.body.id as string;
      if (attempt > 120 || (res.status !== 0 && res.status < 500)) throw new Error(`open: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(500);
    }
  }

  /**
   * An action that answers 200 in the end. A 409 is retried too: around a fault a read can show
   * a state its workflow had not yet committed, so the next step may come a moment early.
   */
  async function act(id: string, action: string, body: unknown, as: Principal, key = `${id}:${action}`): Promise<any> {
    for (let attempt = 0; ; attempt++) {
      const res = await api
        .next()
        .post(`/api/v1/complaints/${id}/${action}`, body, as, { 'idempotency-key': key })
        .catch(() => ({ status: 0, body: null }));
      if (res.status === 200) return res.body;
      const retryable = res.status === 0 || res.status >= 500 || res.status === 409;
      if (attempt > 240 || !retryable) throw new Error(`${action} on ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(500);
    }
  }

  /** Waits until the case (read through either API) is in `status`; returns it. */
  async function until(id: string, status: string, timeoutMs = 120_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      const res = await api.next().get(`/api/v1/complaints/${id}`, agent).catch((err: Error) => ({ status: 0, body: err.message }));
      if (res.body?.status === status) return res.body;
      last = { http: res.status, status: res.body?.status };
      if (Date.now() > deadline) throw new Error(`${id} never became ${status}; last ${JSON.stringify(last)}`);
      await sleep(500);
    }
  }

  /** A quality complaint from intake to closed with a refund of `amount`. */
  async function wholeLifecycle(owner: string, amount: number, between: () => Promise<void> = async () => undefined): Promise<string> {
    const id = await open(owner, { category: 'quality' });
    await act(id, 'acknowledge', {}, agent);
    await between();
    await act(id, 'findings', { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' }, department('quality'));
    await act(id, 'plan', { remedy: 'refund', description: 'Refund', amount }, agent);
    await between();
    await act(id, 'feedback', { accepted: true }, consumer(owner));
    await until(id, 'resolved');
    await act(id, 'satisfaction', { score: 5 }, consumer(owner));
    await until(id, 'closed');
    return id;
  }

  return { api, open, act, until, wholeLifecycle };
}

/** The notices one refunded, rated case writes (and the gateway receives) once each. */
export const lifecycleNotices = ['received', 'acknowledged', 'plan_proposed:v1', 'resolved', 'satisfaction_request', 'closed'];

/** Per case, how many different notices the gateway received (by message id). */
export function distinctNotices(requests: Array<{ body: { id: string; complaintId: string } }>, ids: string[]): number[] {
  return ids.map((id) => new Set(requests.filter((r) => r.body.complaintId === id).map((r) => r.body.id)).size);
}
