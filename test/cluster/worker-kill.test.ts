import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDriver, distinctNotices, lifecycleNotices } from './support/cases';
import { clusterInfo, control } from './support/control';

const lifecycles = 30;

/**
 * A worker process killed with SIGKILL while 30 cases are mid-lifecycle: the other worker
 * takes over their tasks and activities, and every case finishes with one refund and one of
 * each notice. The killed worker comes back afterwards.
 */
describe('one of two workers killed during 30 lifecycles', () => {
  const cases = caseDriver(`worker-kill-${Date.now()}`);
  let db: mongoose.Connection;
  beforeAll(async () => {
    db = await mongoose.createConnection(clusterInfo().mongoUri).asPromise();
  });
  afterAll(async () => {
    await control.start('worker-1');
    await db?.close();
  });

  it('finishes every case on the other worker, paying and notifying once', async () => {
    // A barrier after each case's acknowledgement: the last to arrive kills worker 1, then all
    // 30 go on, so the kill falls between acknowledgement and findings for every one of them.
    let arrived = 0;
    let release!: () => void;
    const killed = new Promise<void>((resolve) => (release = resolve));
    const passed = new Set<number>();
    const lifecycle = (i: number) => cases.wholeLifecycle(`wk-${i}`, 300 + i, async () => {
      if (passed.has(i)) return; // the second pause, after the plan
      passed.add(i);
      if (++arrived === lifecycles) {
        await control.kill('worker-1', 'SIGKILL');
        release();
      }
      await killed;
    });
    const ids = await Promise.all(Array.from({ length: lifecycles }, (_, i) => lifecycle(i)));
    expect((await control.processes()).find((p) => p.name === 'worker-1')?.running).toBe(false);

    // One refund per case, with its plan's amount, and none repeated.
    const payments = await control.payments();
    for (const [i, id] of ids.entries()) {
      expect(payments.filter(([key]) => key.startsWith(id))).toEqual([[`${id}:refund:v1`, expect.objectContaining({ amount: 300 + i })]]);
    }
    // Every notice written once in the outbox (a read answers from the workflow, so the last
    // writes may still be on their way) and delivered under its id.
    const keysPerCase = async () => {
      const rows = await db.collection('notifications').find({ complaintId: { $in: ids } }).toArray();
      return ids.map((id) => rows.filter((r) => r.complaintId === id).map((r) => r.key).sort());
    };
    await expect.poll(keysPerCase, { timeout: 60_000 }).toEqual(ids.map(() => [...lifecycleNotices].sort()));
    await expect.poll(async () => distinctNotices(await control.requests('/notify'), ids), { timeout: 60_000 })
      .toEqual(ids.map(() => lifecycleNotices.length));
    // Each case's timeline holds each step once.
    for (const id of ids) {
      const c = await cases.until(id, 'closed');
      const types: string[] = c.timeline.map((e: { type: string }) => e.type);
      for (const once of ['received', 'acknowledged', 'plan_proposed', 'plan_accepted', 'resolved', 'closed']) {
        expect(types.filter((t) => t === once), `${id} ${once}`).toHaveLength(1);
      }
    }
  });
});
