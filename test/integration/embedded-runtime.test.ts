import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config';
import { createLogger } from '../../runtime/logger';
import { freePort, portIsOpen } from '../../runtime/processes';
import { startService } from '../../runtime/service';
import { ApiClient, consumer, eventually, installTestRuntime, newComplaintBody, testJwtSecret } from '../support/service';
import { inject } from 'vitest';

/**
 * What `npm start` does, with nothing configured: it starts its own Temporal dev server and
 * FerretDB on a data folder, and a second start on the same folder finds the cases again.
 */
describe('embedded runtime (npm start without TEMPORAL_ADDRESS / MONGODB_URI)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('starts everything, keeps the data across a restart and leaves no server behind', async () => {
    installTestRuntime();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'complaints-start-'));
    dirs.push(dataDir);
    const ports = { TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), FERRETDB_PORT: await freePort() };
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      AUTH_JWT_SECRET: testJwtSecret,
      TEMPORAL_PORT: String(ports.TEMPORAL_PORT),
      TEMPORAL_UI_PORT: String(ports.TEMPORAL_UI_PORT),
      FERRETDB_PORT: String(ports.FERRETDB_PORT),
    });
    const bundle = { workflowBundle: { codePath: inject('workflowBundlePath') } };

    const first = await startService(config, createLogger('silent'), bundle);
    const api = new ApiClient(first.apiUrl!);
    expect((await api.get('/readyz')).status).toBe(200);
    expect((await fetch(first.temporalUiUrl!)).status).toBe(200);
    const created = await api.post('/api/v1/complaints', newComplaintBody(), consumer('u1'));
    expect(created.status).toBe(201);
    await eventually(async () => ((await api.get(`/api/v1/complaints/${created.body.id}`, consumer('u1'))).status === 200 ? true : null));
    await first.stop();
    for (const port of Object.values(ports)) expect(await portIsOpen(port)).toBe(false);

    const second = await startService(config, createLogger('silent'), bundle);
    try {
      const again = new ApiClient(second.apiUrl!);
      const fetched = await again.get(`/api/v1/complaints/${created.body.id}`, consumer('u1'));
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ id: created.body.id, status: 'received' });
    } finally {
      await second.stop();
    }
  });
});
