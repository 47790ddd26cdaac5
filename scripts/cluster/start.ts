import { bundleWorkflowCode } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowBundleOptions } from '../../worker';
import { Cluster, portsFrom } from './topology';

/**
 * `npm run start:cluster`: the production topology on this machine (scripts/cluster/topology.ts),
 * its data in $DATA_DIR/cluster (kept between starts). Ctrl-C stops every process.
 *   CLUSTER_BASE_PORT (7400: PostgreSQL, then the Temporal and worker ports counted up)
 *   PORT (3000: the first API; the second is PORT+1)   WORKER_BUILD_ID (the git commit)
 * Every other setting (handlers, notifications, secrets) passes through to the workers and APIs.
 */
const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.resolve(process.env.DATA_DIR ?? 'data', 'cluster');
mkdirSync(dataDir, { recursive: true });

const base = Number(process.env.CLUSTER_BASE_PORT ?? 7400);
const apiBase = Number(process.env.PORT ?? 3000);

console.log('Bundling the workflow code once for both workers…');
const bundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
const bundlePath = path.join(dataDir, 'workflow-bundle.js');
writeFileSync(bundlePath, bundle.code);
const buildId = process.env.WORKER_BUILD_ID ?? gitBuildId(bundle.code);

// The service's own settings pass through; the topology sets its addresses and ports.
const owned = new Set(['PORT', 'METRICS_PORT', 'AUTH_DEV_PROVIDER_PORT', 'DATA_DIR', 'TEMPORAL_ADDRESS', 'MONGODB_URI', 'COMPONENTS', 'WORKFLOW_BUNDLE', 'WORKER_BUILD_ID']);
const appEnv = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !owned.has(k))) as Record<string, string>;
const cluster = new Cluster({
  repoDir,
  dataDir,
  ports: portsFrom(base, apiBase),
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'complaints',
  appEnv: { LOG_LEVEL: 'warn', ...appEnv },
  workflowBundle: bundlePath,
  buildId,
});

let stopping = false;
let starting: Promise<void> | undefined;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping every process…');
  // A stop during start-up waits for the step in progress (start() gives up after it).
  await starting?.catch(() => undefined);
  await cluster.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  starting = cluster.start((step) => {
    if (stopping) throw new Error('stopped during start-up');
    console.log(`starting ${step}`);
  });
  await starting;
} catch (err) {
  if (stopping) await new Promise(() => undefined); // stop() exits
  console.error(`The cluster could not start: ${(err as Error).message}`);
  await stop(1);
}
const width = Math.max(...cluster.addresses().map(([name]) => name.length));
console.log('\nThe production topology is running (logs in ' + path.join(dataDir, 'logs') + '):');
for (const [name, address] of cluster.addresses()) console.log(`  ${name.padEnd(width)}  ${address}`);
console.log('Ctrl-C stops all; the next start keeps the data.');

// A process that dies is reported, not restarted: what the tests kill, they start again.
const reported = new Set<string>();
setInterval(() => {
  for (const p of cluster.processes) {
    if (p.running || stopping || reported.has(p.name)) continue;
    reported.add(p.name);
    console.error(`${p.name} has stopped; see ${p.spec.logFile}`);
  }
}, 5_000).unref();

/** The commit; with uncommitted changes, the commit and a hash of the workflow code as built. */
function gitBuildId(code: string): string {
  const codeHash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoDir, encoding: 'utf8' }).trim();
    return dirty ? `${sha}-${codeHash}` : sha;
  } catch {
    return `local-${codeHash}`;
  }
}
