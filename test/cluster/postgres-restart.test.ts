import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent } from '../support/service';
import { caseDriver } from './support/cases';
import { clusterInfo, control } from './support/control';

/**
 * PostgreSQL — under Temporal's persistence and visibility and under FerretDB's read model —
 * restarted while cases are worked on: Temporal's services and FerretDB reconnect, every
 * action sent during the outage is applied once, and the read model converges.
 */
describe('PostgreSQL restarted under the cluster', () => {
  const cases = caseDriver(`pg-restart-${Date.now()}`);
  let db: mongoose.Connection;
  beforeAll(async () => {
    db = await mongoose.createConnection(clusterInfo().mongoUri).asPromise();
  });
  afterAll(async () => {
    await control.start('postgres');
    await db?.close();
  });

  it('loses nothing: actions sent while it is down are applied once, the read model catches up', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => cases.open(`pg-${i}`)));
    const others = async () => (await control.processes()).filter((p) => p.name !== 'postgres').map((p) => `${p.name}:${p.running}:${p.pid}`);
    const before = await others();
    // Fast shutdown: connections cut, as a crash or failover does to clients.
    await control.stop('postgres');
    const acknowledged = Promise.all(ids.map((id) => cases.act(id, 'acknowledge', {}, agent)));
    await new Promise((r) => setTimeout(r, 8_000));
    await control.start('postgres');
    await acknowledged;
    // Every other process rode out the outage: still running, the same process (none restarted).
    expect(await others()).toEqual(before);

    for (const id of ids) {
      // Acknowledged, a quality complaint goes on to its investigation.
      const c = await cases.until(id, 'investigating');
      expect(c.timeline.filter((e: { type: string }) => e.type === 'acknowledged'), id).toHaveLength(1);
    }
    // The read model (FerretDB on the same PostgreSQL) converges on what the workflows hold.
    await expect.poll(async () => {
      const docs = await db.collection('complaints').find({ _id: { $in: ids } } as never).toArray();
      return docs.map((d) => d.status).sort();
    }, { timeout: 60_000, interval: 1000 }).toEqual(ids.map(() => 'investigating'));
    // Both APIs answer again, from the read model too (the list).
    for (const api of cases.api.all) {
      const list = await api.get(`/api/v1/complaints?status=investigating&limit=100`, agent);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(ids));
    }
    // And new cases start and run as before.
    const after = await cases.open('pg-after');
    await cases.act(after, 'acknowledge', {}, agent);
    expect((await cases.until(after, 'investigating')).status).toBe('investigating');
  });
});
