// `npm run bench -- --cluster`: intake, update and breach lag on the production topology
// (scripts/cluster/: Temporal's services and FerretDB on PostgreSQL) with one worker and with
// two, beside the Temporal dev server's and embedded FerretDB's, in the same run. Prints a table
// and writes bench/results/cluster.json. On two cores every process shares the same CPUs: the
// figures show what the topology costs and that it holds, not how it scales.
//   BENCH_QUICK=1   smaller counts
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import Table from 'cli-table3';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { complaintModel } from '../activities/read-model';
import { signToken, type Principal } from '../api/auth';
import { startEmbeddedFerretDb, startEmbeddedTemporal } from '../runtime/embedded';
import { freePort } from '../runtime/processes';
import { Cluster, freePorts } from '../scripts/cluster/topology';
import { workflowBundleOptions } from '../worker';
import { cpuSeconds, cpuSpent, startServiceProcess } from './processes';
import { percentile, round } from './stats';

const quick = process.env.BENCH_QUICK === '1';
const counts = { intakes: quick ? 100 : 400, intakeConcurrency: 16, updates: quick ? 50 : 200, breaches: quick ? 100 : 300 };
// Breach-lag cases: general, acknowledgement due 20 s after opening, opened over 20 s.
const breachAfterS = 20;
const breachWindowMs = 20_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const secret = 'bench-secret-0123456789abcdef';
const agent: Principal = { role: 'agent', sub: 'a1' };

Runtime.install({ logger: new DefaultLogger('ERROR') });
const dir = await mkdtemp(path.join(os.tmpdir(), 'complaints-bench-cluster-'));
const policyFile = path.join(dir, 'policy.json');
// Only the breach-lag cases are general; the others (complex) keep the regulations' deadlines.
await writeFile(policyFile, JSON.stringify({ version: 'bench', policies: { general: { acknowledge: `${breachAfterS}s`, resolve: '7d' } } }));
const workflowBundle = path.join(dir, 'workflow-bundle.js');
await writeFile(workflowBundle, (await bundleWorkflowCode({ ...workflowBundleOptions, logger: new DefaultLogger('ERROR') })).code);
const appEnv = { AUTH_JWT_SECRET: secret, SLA_POLICY_FILE: policyFile, LOG_LEVEL: 'error', NOTIFY_POLL_MS: '1000', RATE_LIMIT_PER_MINUTE: '10000000' };
const token = await signToken(secret, agent);

type Figures = { intake: Record<string, number>; update: Record<string, number>; breachLag: Record<string, number>; cpuSeconds: Record<string, number> };
const results: Record<string, Figures> = {};

try {
  // 1. The dev server and embedded FerretDB (SQLite), an API and a worker process: `npm start`'s servers.
  {
    const temporal = await startEmbeddedTemporal({ dataDir: path.join(dir, 'dev'), port: await freePort() });
    const ferret = await startEmbeddedFerretDb({ dataDir: path.join(dir, 'dev'), port: await freePort() });
    const env = { ...appEnv, DATA_DIR: path.join(dir, 'dev'), TEMPORAL_ADDRESS: temporal.address, MONGODB_URI: ferret.uri };
    const api = await startServiceProcess(root, 'main.ts', 'API process', { ...env, COMPONENTS: 'api', AUTH_DEV_PROVIDER_PORT: '0' });
    const worker = await startServiceProcess(root, 'worker.ts', 'worker process', { ...env, WORKFLOW_BUNDLE: workflowBundle });
    try {
      results.devServer = await measure('dev server', api.url, ferret.uri);
    } finally {
      await Promise.all([api.stop(), worker.stop()]);
      await Promise.all([temporal.stop(), ferret.stop()]);
    }
  }
  // 2. The production topology: one API; two workers, then one.
  const cluster = new Cluster({
    repoDir: root, dataDir: path.join(dir, 'cluster'), ports: await freePorts({ histories: 2, workers: 2, apis: 1 }),
    shape: { histories: 2, workers: 2, apis: 1 }, namespace: 'complaints', workflowBundle, appEnv: { ...appEnv, AUTH_DEV_PROVIDER_PORT: '0' },
  });
  try {
    await cluster.start((step) => console.log(`cluster: starting ${step}`));
    await cluster.workers[1]!.stop();
    results.clusterOneWorker = await measure('cluster, 1 worker', cluster.apiUrls[0]!, cluster.mongoUri);
    await cluster.workers[1]!.start();
    results.clusterTwoWorkers = await measure('cluster, 2 workers', cluster.apiUrls[0]!, cluster.mongoUri);
  } finally {
    await cluster.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** Intake rate and latency, update latency, breach lag against one API. */
async function measure(name: string, apiUrl: string, mongoUri: string): Promise<Figures> {
  console.log(`${name}: measuring`);
  const cpuBefore = cpuSeconds();
  const call = async (pathname: string, body: unknown, expected: number) => {
    const started = performance.now();
    const res = await fetch(`${apiUrl}${pathname}`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${pathname} answered ${res.status}: ${text}`);
    return { ms: performance.now() - started, body: JSON.parse(text) as { id: string } };
  };
  const intake = (severity: 'general' | 'complex') => call('/api/v1/complaints', {
    orderId: `bench-${randomUUID()}`, productName: 'Kettle', description: 'Leaks', channel: 'phone', category: 'quality', severity,
    customerId: `c-${randomUUID().slice(0, 8)}`, contact: { name: 'Bench Person', phone: '13000000000' },
  }, 201);

  // Warm-up, not measured: connections, JIT, caches (the dev server and a new cluster alike).
  const warm = await Promise.all(Array.from({ length: 40 }, () => intake('complex')));
  for (const { body } of warm.slice(0, 20)) await call(`/api/v1/complaints/${body.id}/acknowledge`, {}, 200);
  await new Promise((r) => setTimeout(r, 5000));

  // Intake: `intakeConcurrency` callers at a time.
  const intakeMs: number[] = [];
  const ids: string[] = [];
  const intakeStarted = performance.now();
  let taken = 0;
  await Promise.all(Array.from({ length: counts.intakeConcurrency }, async () => {
    while (taken++ < counts.intakes) {
      const { ms, body } = await intake('complex');
      intakeMs.push(ms);
      ids.push(body.id);
    }
  }));
  const intakeSeconds = (performance.now() - intakeStarted) / 1000;
  await new Promise((r) => setTimeout(r, 3000));

  // Update: acknowledgements one at a time, each answered after the workflow applied it.
  const updateMs: number[] = [];
  for (const id of ids.slice(0, counts.updates)) updateMs.push((await call(`/api/v1/complaints/${id}/acknowledge`, {}, 200)).ms);

  // Breach lag: deadlines spread over the window; lag = recorded breach time - deadline.
  const opened = performance.now();
  const breachIds = await Promise.all(Array.from({ length: counts.breaches }, async (_, i) => {
    const wait = opened + (i * breachWindowMs) / counts.breaches - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return (await intake('general')).body.id;
  }));
  const mongo = await mongoose.createConnection(mongoUri).asPromise();
  let lags: number[] = [];
  try {
    const model = complaintModel(mongo);
    for (const deadline = Date.now() + 240_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 2000))) {
      const stored = await model.find({ _id: { $in: breachIds }, breached: true }, { snapshot: 1 }).lean();
      const breaches = stored.map((d) => (JSON.parse(d.snapshot as string) as { breaches: Array<{ deadline: string; at: string }> }).breaches[0]!);
      lags = breaches.map((b) => Date.parse(b.at) - Date.parse(b.deadline));
      if (stored.length === breachIds.length) break;
    }
  } finally {
    await mongo.close();
  }
  // The same work on each topology: what every process spent on it, by name (the five Temporal
  // processes together, PostgreSQL with its backends).
  const cpu = Object.fromEntries(Object.entries(cpuSpent(cpuBefore, cpuSeconds())).filter(([, v]) => v > 0));
  return {
    cpuSeconds: { total: round(Object.values(cpu).reduce((a, b) => a + b, 0), 1), ...cpu },
    intake: { perSec: round(counts.intakes / intakeSeconds), p50Ms: round(percentile(intakeMs, 0.5)), p99Ms: round(percentile(intakeMs, 0.99)), concurrency: counts.intakeConcurrency },
    update: { p50Ms: round(percentile(updateMs, 0.5)), p99Ms: round(percentile(updateMs, 0.99)), n: updateMs.length },
    breachLag: { p50Ms: round(percentile(lags, 0.5)), p99Ms: round(percentile(lags, 0.99)), maxMs: round(Math.max(...lags)), n: lags.length, of: breachIds.length },
  };
}

const machine = {
  cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 2 ** 30), node: process.version, quick, at: new Date().toISOString(),
  note: 'every process on the same machine: the cluster is PostgreSQL 15, Temporal 1.32.1 as frontend, matching, worker and two history processes, FerretDB on PostgreSQL, one API and one or two workers',
};
await mkdir(path.join(here, 'results'), { recursive: true });
await writeFile(path.join(here, 'results', 'cluster.json'), `${JSON.stringify({ machine, ...results }, null, 2)}\n`);
const columns = [['dev server', results.devServer], ['cluster, 1 worker', results.clusterOneWorker], ['cluster, 2 workers', results.clusterTwoWorkers]] as const;
const table = new Table({ head: ['figure', ...columns.map(([name]) => name)] });
table.push(
  [`intake /s (x${counts.intakeConcurrency})`, ...columns.map(([, r]) => `${r?.intake.perSec}`)],
  ['intake p50 / p99 (ms)', ...columns.map(([, r]) => `${r?.intake.p50Ms} / ${r?.intake.p99Ms}`)],
  ['update p50 / p99 (ms)', ...columns.map(([, r]) => `${r?.update.p50Ms} / ${r?.update.p99Ms}`)],
  [`breach lag p50 / p99 / max (ms), ${counts.breaches} in ${breachWindowMs / 1000} s`, ...columns.map(([, r]) => `${r?.breachLag.p50Ms} / ${r?.breachLag.p99Ms} / ${r?.breachLag.maxMs} (${r?.breachLag.n}/${r?.breachLag.of})`)],
);
table.push(['CPU seconds, all processes, the whole measurement', ...columns.map(([, r]) => `${r?.cpuSeconds.total}`)]);
console.log(table.toString());
const cpuTable = new Table({ head: ['CPU seconds by process', ...columns.map(([name]) => name)] });
for (const name of new Set(columns.flatMap(([, r]) => Object.keys(r?.cpuSeconds ?? {})))) {
  if (name !== 'total') cpuTable.push([name, ...columns.map(([, r]) => `${r?.cpuSeconds[name] ?? ''}`)]);
}
console.log(cpuTable.toString());
console.log(`written to ${path.join('bench', 'results', 'cluster.json')}`);
process.exit(0);
