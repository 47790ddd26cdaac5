import { describe, expect, it } from 'vitest';
import { agent, consumer, department, ops } from '../support/service';
import { caseDriver } from './support/cases';
import { control } from './support/control';

/**
 * The ops tools against the real server, its visibility on PostgreSQL: `stuck` finds a case
 * whose refund keeps failing and an urgent case left past its deadline; `retry` after the fix
 * and `reset` let cases go on; `replay` runs their histories against the code.
 */
describe('ops against the cluster', () => {
  const cases = caseDriver(`ops-${Date.now()}`);
  const stuck = async () => {
    const res = await cases.api.next().get('/api/v1/ops/stuck?minAttempts=2', ops);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Array<{ id: string; reason: string; detail: string; attempts?: number }>;
  };

  it('finds stuck cases, repairs them with retry and reset, and replays them', async () => {
    // A refund the payment service refuses, and an urgent case nobody acknowledges.
    const failing = await cases.open('ops-refund', { category: 'quality' });
    await control.refusePayments(failing, true);
    await cases.act(failing, 'acknowledge', {}, agent);
    await cases.act(failing, 'findings', { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' }, department('quality'));
    await cases.act(failing, 'plan', { remedy: 'refund', description: 'Refund', amount: 77 }, agent);
    await cases.act(failing, 'feedback', { accepted: true }, consumer('ops-refund'));
    const overdue = await cases.open('ops-overdue', { severity: 'urgent' });

    await expect.poll(async () => (await stuck()).filter((r) => r.id === failing || r.id === overdue).map((r) => `${r.id === failing ? 'refund' : 'overdue'}:${r.reason}`).sort(), { timeout: 60_000, interval: 1000 })
      .toEqual(['overdue:overdue_idle', 'refund:activity_failing']);
    expect((await control.payments()).filter(([key]) => key.startsWith(failing))).toEqual([]);

    // The payment service is back: retry now rather than at the next back-off, and it is paid once.
    await control.refusePayments(failing, false);
    const retried = await cases.api.next().post(`/api/v1/ops/complaints/${failing}/retry`, { reason: 'payment service is back' }, ops);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await cases.until(failing, 'resolved', 60_000);
    expect((await control.payments()).filter(([key]) => key.startsWith(failing)).map(([key]) => key)).toEqual([`${failing}:refund:v1`]);

    // Reset the overdue case to its last workflow task: a new run, the case as it was.
    const reset = await cases.api.next().post(`/api/v1/ops/complaints/${overdue}/reset`, { to: 'last-workflow-task', reason: 'Cluster drill' }, ops);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    await expect.poll(async () => (await cases.api.next().get(`/api/v1/complaints/${overdue}`, agent)).body?.timeline?.some((e: { type: string }) => e.type === 'ops_reset'), { timeout: 30_000 })
      .toBe(true);
    await cases.act(overdue, 'acknowledge', {}, agent);
    expect((await cases.api.next().get(`/api/v1/complaints/${overdue}`, agent)).body.breaches).toHaveLength(1);

    // Both histories replay against the code the API runs.
    const replay = await cases.api.next().post('/api/v1/ops/replay', { ids: [failing, overdue] }, ops);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body.results.map((r: { result: string }) => r.result)).toEqual(['ok', 'ok']);
  });
});
