import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchAttributeFlags } from '../workflows/search-attributes';
import { portIsOpen, startProcess, type ManagedProcess } from './processes';

/** Where scripts/install-runtime.sh puts the pinned server binaries. */
export const runtimeBinDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.runtime', 'bin');

function binary(name: string): string {
  const file = path.join(runtimeBinDir, name);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run runtime:install\` (npm start and npm test do it for you)`);
  }
  return file;
}

/** Dynamic config the product relies on (see docs/decisions/001-embedded-runtime.md). */
export const temporalDynamicConfig = [
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  'frontend.enableExecuteMultiOperation=true',
  // Flag a workflow in TemporalReportedProblems after 3 failed workflow tasks in a row.
  'system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=3',
  // A change's record (an activity) goes back to its worker with the task's completion, not
  // through matching (the dev server's default already; a server's is off).
  'system.enableActivityEagerExecution=true',
];

export interface EmbeddedTemporal extends ManagedProcess {
  address: string;
  uiUrl?: string;
}

export async function startEmbeddedTemporal(options: {
  dataDir: string;
  port: number;
  uiPort?: number;
  namespace?: string;
  /** The UI served under this path (the service proxies it there for ops, api/web/temporal-ui-proxy.ts). */
  uiPublicPath?: string;
  /** The UI's remote codec endpoint (a path: on the origin the UI is served from). */
  uiCodecEndpoint?: string;
}): Promise<EmbeddedTemporal> {
  const address = `127.0.0.1:${options.port}`;
  const namespace = options.namespace ?? 'default';
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--db-filename', path.join(options.dataDir, 'temporal.db'),
    '--namespace', namespace,
    '--log-level', 'warn',
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    ...searchAttributeFlags().flatMap((sa) => ['--search-attribute', sa]),
    ...temporalDynamicConfig.flatMap((kv) => ['--dynamic-config-value', kv]),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...(options.uiPort && options.uiPublicPath ? ['--ui-public-path', options.uiPublicPath] : []),
    ...(options.uiPort && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
  ];
  const server = await startProcess({
    name: 'temporal',
    command: binary('temporal'),
    args,
    logFile: path.join(options.dataDir, 'logs', 'temporal.log'),
    ready: () => temporalReady(address, namespace),
    readyTimeoutMs: 90_000,
  });
  return { ...server, address, uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}${options.uiPublicPath ?? ''}` : undefined };
}

async function temporalReady(address: string, namespace: string): Promise<boolean> {
  const port = Number(address.split(':')[1]);
  if (!(await portIsOpen(port))) return false;
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

export interface EmbeddedMongo extends ManagedProcess {
  uri: string;
}

/** FerretDB v1 on SQLite, speaking the MongoDB wire protocol. */
export async function startEmbeddedFerretDb(options: { dataDir: string; port: number; cpuProfile?: string }): Promise<EmbeddedMongo> {
  const server = await startProcess({
    name: 'ferretdb',
    command: binary('ferretdb'),
    args: [
      '-listen', `127.0.0.1:${options.port}`, '-data-dir', path.join(options.dataDir, 'ferretdb'),
      // The benchmark's profile of the store (bench/run.ts, BENCH_CPU_PROF).
      ...(options.cpuProfile ? ['-cpu-profile', options.cpuProfile] : []),
    ],
    logFile: path.join(options.dataDir, 'logs', 'ferretdb.log'),
    ready: () => answersMongoDb(options.port),
  });
  return { ...server, uri: `mongodb://127.0.0.1:${options.port}/complaints` };
}

/** Ready when the port answers the MongoDB protocol: an open port alone may be another server's. */
async function answersMongoDb(port: number): Promise<boolean> {
  if (!(await portIsOpen(port))) return false;
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, { directConnection: true, serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}
