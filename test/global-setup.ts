import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedFerretDb, startEmbeddedTemporal } from '../runtime/embedded';
import { onFreePort } from '../runtime/processes';
import { workflowBundleOptions } from '../worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    workflowBundlePath: string;
    serverDataDir: string;
  }
}

/** Starts the real servers once per test run, on free ports, and hands their addresses on. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'complaints-test-'));
  const [temporal, ferret, bundle] = await Promise.all([
    onFreePort((port) => startEmbeddedTemporal({ dataDir, port })),
    onFreePort((port) => startEmbeddedFerretDb({ dataDir, port })),
    bundleWorkflowCode({ ...workflowBundleOptions, logger: quietBundlerLogger }),
  ]);
  const workflowBundlePath = path.join(dataDir, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);

  project.provide('temporalAddress', temporal.address);
  project.provide('mongoUri', ferret.uri);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('serverDataDir', dataDir);

  return async () => {
    await Promise.all([temporal.stop(), ferret.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  };
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: unknown) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(message, meta ?? ''),
  log: () => undefined,
};
