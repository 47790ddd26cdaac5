import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../../runtime/embedded';
import { freePort } from '../../runtime/processes';
import { eventually, startTestService, testJwtSecret, testMongoUri, type TestService } from '../support/service';

/**
 * A worker whose run fails never polls again. Here its namespace disappears: the Temporal
 * server is replaced by one without it (a cluster rebuilt, a namespace deleted), so every poll
 * is refused and the SDK fails the worker (after its minute of grace for poll errors).
 * Readiness must turn red, and the process must exit non-zero for its supervisor.
 */
const namespace = 'complaints-doomed';

describe('a worker whose run fails', () => {
  let temporal: EmbeddedTemporal;
  let port: number;
  let service: TestService;
  const fatal: Error[] = [];
  let child: ReturnType<typeof spawn>;
  let childPort: number;
  let childOutput = '';
  let childExit: Promise<number | null>;
  // The servers' data (a Temporal database each): removed with the test.
  const dataDirs: string[] = [];
  const dataDir = (prefix: string) => {
    dataDirs.push(mkdtempSync(path.join(os.tmpdir(), prefix)));
    return dataDirs.at(-1)!;
  };

  beforeAll(async () => {
    port = await freePort();
    temporal = await startEmbeddedTemporal({ dataDir: dataDir('doomed-'), port, namespace });
    // In this process, with the option main.ts wires to process.exit(1).
    service = await startTestService(
      { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: namespace, COMPONENTS: 'worker' },
      { onFatal: (err) => fatal.push(err) },
    );
    // And main.ts itself, as `node --import tsx worker.ts` runs it in a container.
    childPort = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
      env: {
        ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(childPort), METRICS_PORT: '0', AUTH_JWT_SECRET: testJwtSecret,
        TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_TASK_QUEUE: `doomed-${childPort}`,
        MONGODB_URI: testMongoUri(), WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (childOutput += d));
    child.stderr!.on('data', (d) => (childOutput += d));
    childExit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(() => readiness(childPort).then((r) => (r.status === 200 ? r : null)), 60_000).catch((err) => {
      throw new Error(`${err}\n${childOutput}`);
    });
  });
  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await service?.stop();
    await temporal?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  const readiness = (p: number) =>
    fetch(`http://127.0.0.1:${p}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as { checks: Record<string, string> } }), () => ({ status: 0, body: { checks: {} } }));

  it('turns readiness red, tells the process, and main.ts exits 1', { timeout: 240_000 }, async () => {
    expect((await readiness(Number(new URL(service.apiUrl).port))).body.checks).toMatchObject({ worker: 'ok' });

    await temporal.stop();
    temporal = await startEmbeddedTemporal({ dataDir: dataDir('rebuilt-'), port });

    await eventually(async () => (fatal.length > 0 ? true : null), 150_000);
    const after = await readiness(Number(new URL(service.apiUrl).port));
    expect(after.status).toBe(503);
    expect(after.body.checks).toMatchObject({ worker: 'unavailable' });
    expect(service.logs.join('')).toMatch(/the worker failed/);

    const code = await Promise.race([childExit, new Promise((r) => setTimeout(() => r('still running'), 60_000))]);
    expect(code, childOutput).toBe(1);
    expect(childOutput).toMatch(/the worker failed/);

    // Stopping a service whose worker failed does not hang on it.
    const started = Date.now();
    await service.stop();
    expect(Date.now() - started).toBeLessThan(20_000);
    service = undefined as never;
  });
});
