// `npm run bench`: the service against raw Temporal on the same embedded servers, same run.
// Prints a table and writes bench/results/latest.json. Not part of the tests.
//   BENCH_QUICK=1 npm run bench   smaller counts, for a smoke run
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import Table from 'cli-table3';
import { MultiBar, Presets } from 'cli-progress';
import mongoose from 'mongoose';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { complaintModel } from '../activities/read-model';
import { signToken, type Principal } from '../api/auth';
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { freePort } from '../runtime/processes';
import { startService } from '../runtime/service';
import { pingUpdate } from './raw-workflows';

const quick = process.env.BENCH_QUICK === '1';
const counts = {
  intakePerLevel: quick ? 100 : 400,
  levels: quick ? [1, 8, 32] : [1, 4, 16, 32, 64],
  updates: quick ? 100 : 300,
  breaches: quick ? 200 : 1000,
  openCases: quick ? 300 : 10_000,
  readModelCases: quick ? 5_000 : 100_000,
  listRequests: quick ? 100 : 300,
};
const here = path.dirname(fileURLToPath(import.meta.url));
const secret = 'bench-secret-0123456789abcdef';
const agent: Principal = { role: 'agent', sub: 'a1' };
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
// Progress shows on a terminal, and every few seconds as plain lines when piped to a file.
const bars = new MultiBar({ clearOnComplete: false, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000, format: '{name} [{bar}] {value}/{total}' }, Presets.shades_classic);

Runtime.install({ logger: new DefaultLogger('ERROR') });
const dir = await mkdtemp(path.join(os.tmpdir(), 'complaints-bench-'));
const policyFile = path.join(dir, 'policy.json');
// General cases breach their acknowledge deadline after 90 s: only the breach-lag cases are
// general. Complex ones keep the regulations' deadlines, so the cases of the other figures
// do not breach in the middle of a later measurement.
await writeFile(policyFile, JSON.stringify({ version: 'bench', policies: { general: { acknowledge: '90s', resolve: '7d' } } }));
const config = loadConfig({
  DATA_DIR: dir, PORT: '0', METRICS_PORT: '0', AUTH_JWT_SECRET: secret, SLA_POLICY_FILE: policyFile, LOG_LEVEL: 'error',
  TEMPORAL_PORT: String(await freePort()), FERRETDB_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()),
  NOTIFY_POLL_MS: '1000', RATE_LIMIT_PER_MINUTE: '10000000',
});
const service = await startService(config, createLogger('error'));
const token = await signToken(secret, agent);
const connection = await Connection.connect({ address: service.temporalAddress });
const client = new Client({ connection });
const rawWorker = await Worker.create({
  connection: await NativeConnection.connect({ address: service.temporalAddress }),
  taskQueue: 'bench-raw',
  workflowsPath: path.join(here, 'raw-workflows.ts'),
});
const rawRunning = rawWorker.run();
const mongo = await mongoose.createConnection(service.mongoUri).asPromise();

async function intake(i: number, severity: 'general' | 'complex' = 'general'): Promise<{ id: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${service.apiUrl}/api/v1/complaints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      orderId: `bench-${randomUUID()}`, productName: 'Kettle', description: 'Leaks', channel: 'phone', category: 'quality', severity,
      customerId: `c${i}`, contact: { name: 'Bench Person', phone: '13000000000' },
    }),
  });
  const body = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${JSON.stringify(body)}`);
  return { id: body.id, ms: performance.now() - started };
}

/** Runs `total` calls with `concurrency` at a time; per-call latency and overall rate. */
async function load<T>(name: string, total: number, concurrency: number, call: (i: number) => Promise<T>) {
  const bar = bars.create(total, 0, { name: name.padEnd(28) });
  const latencies: number[] = [];
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        results[i] = await call(i);
        latencies.push(performance.now() - t);
        bar.increment();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSec: total / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), results };
}

/** Waits until the read model has every case: their first writes no longer compete with a measurement. */
async function settled(ids: string[]): Promise<void> {
  const model = complaintModel(mongo);
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
    const stored = await model.find({ _id: { $in: ids } }, { _id: 1 }).lean();
    if (stored.length === ids.length) return;
  }
}

const results: Record<string, unknown> = {};
try {
  // 1. Intake: the API against raw workflow starts, at growing concurrency.
  const intakeRows: Array<{ level: number; api: number; raw: number; apiP50: number; apiP99: number }> = [];
  for (const level of counts.levels) {
    const api = await load(`intake api x${level}`, counts.intakePerLevel, level, (i) => intake(level * 100_000 + i, 'complex'));
    const raw = await load(`intake raw x${level}`, counts.intakePerLevel, level, () =>
      client.workflow.start('trivialWorkflow', { workflowId: `raw-${randomUUID()}`, taskQueue: 'bench-raw' }),
    );
    intakeRows.push({ level, api: api.perSec, raw: raw.perSec, apiP50: api.p50, apiP99: api.p99 });
  }
  const bestApi = intakeRows.reduce((a, b) => (b.api > a.api ? b : a));
  const bestRaw = Math.max(...intakeRows.map((r) => r.raw));
  results.intake = {
    apiPerSec: round(bestApi.api), rawStartPerSec: round(bestRaw), ratio: round(bestApi.api / bestRaw, 2),
    p50Ms: round(bestApi.apiP50), p99Ms: round(bestApi.apiP99), atConcurrency: bestApi.level,
    levels: intakeRows.map((r) => ({ concurrency: r.level, apiPerSec: round(r.api), rawPerSec: round(r.raw) })),
  };

  // 2. An action through the API (acknowledge) against a raw update round trip.
  const fresh = await load('cases for updates', counts.updates, 16, (i) => intake(900_000 + i, 'complex'));
  await settled(fresh.results.map((r) => r.id));
  const acks = await load('update api (acknowledge)', counts.updates, 1, async (i) => {
    const res = await fetch(`${service.apiUrl}/api/v1/complaints/${fresh.results[i]!.id}/acknowledge`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}',
    });
    if (res.status !== 200) throw new Error(`acknowledge answered ${res.status}`);
  });
  const rawHandles = await Promise.all(
    Array.from({ length: 20 }, () => client.workflow.start('trivialWorkflow', { workflowId: `raw-u-${randomUUID()}`, taskQueue: 'bench-raw' })),
  );
  const pings = await load('update raw (ping)', counts.updates, 1, (i) => rawHandles[i % rawHandles.length]!.executeUpdate(pingUpdate, { args: [i] }));
  results.update = {
    apiP50Ms: round(acks.p50), apiP99Ms: round(acks.p99), rawP50Ms: round(pings.p50), rawP99Ms: round(pings.p99),
    ratio: round(acks.p50 / pings.p50, 2),
  };

  // 3. Breach lag: many cases whose acknowledge deadline (90 s) falls within the same minute.
  const breachCases = await load('cases for breach lag', counts.breaches, 32, (i) => intake(2_000_000 + i));
  const ids = breachCases.results.map((r) => r.id);
  const model = complaintModel(mongo);
  const bar = bars.create(ids.length, 0, { name: 'breaches recorded'.padEnd(28) });
  let docs: Array<{ breaches: Array<{ deadline: string; at: string }> }> = [];
  for (const deadline = Date.now() + 240_000; Date.now() < deadline; ) {
    docs = await model.find({ _id: { $in: ids }, breached: true }, { breaches: 1 }).hint({ breached: 1, createdAt: -1, _id: -1 }).lean();
    bar.update(docs.length);
    if (docs.length === ids.length) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const lags = docs.map((d) => Date.parse(d.breaches[0]!.at) - Date.parse(d.breaches[0]!.deadline));
  results.breachLag = { n: lags.length, of: ids.length, p50Ms: round(percentile(lags, 0.5)), p99Ms: round(percentile(lags, 0.99)), maxMs: round(Math.max(...lags)) };

  // 4. Scale: open cases held by one worker, memory before and after activity; list latency
  //    over a large read model seeded directly.
  global.gc?.();
  const rssStart = process.memoryUsage().rss / 2 ** 20;
  const heapStart = process.memoryUsage().heapUsed / 2 ** 20;
  const open = await load('open cases', counts.openCases, 32, (i) => intake(3_000_000 + i, 'complex'));
  const rssOpen = process.memoryUsage().rss / 2 ** 20;
  await load('activity on open cases', Math.min(counts.openCases, 3000), 16, async (i) => {
    await fetch(`${service.apiUrl}/api/v1/complaints/${open.results[i]!.id}/acknowledge`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}',
    });
  });
  global.gc?.();
  const rssAfter = process.memoryUsage().rss / 2 ** 20;
  const heapAfter = process.memoryUsage().heapUsed / 2 ** 20;

  const existing = await model.countDocuments();
  const seedBar = bars.create(counts.readModelCases, existing, { name: 'read model seed'.padEnd(28) });
  const template = (await model.findOne().lean())!;
  for (let seeded = existing; seeded < counts.readModelCases; ) {
    const batch = Array.from({ length: Math.min(2000, counts.readModelCases - seeded) }, (_, k) => {
      const n = seeded + k;
      return {
        ...template, _id: `seed-${n}`, customerId: `s${n % 5000}`, createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
        status: ['received', 'investigating', 'planning', 'closed'][n % 4], category: ['quality', 'logistics', 'legal', 'service'][n % 4],
        breached: n % 7 === 0, escalated: n % 11 === 0, timeline: [],
      };
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await model.insertMany(batch, { ordered: false, lean: true });
        break;
      } catch (err) {
        // A busy embedded store: retry the batch (duplicates from a partial write are fine).
        if ((err as { code?: number }).code === 11000 || (err as { writeErrors?: unknown[] }).writeErrors?.length) break;
        if (attempt > 5) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    seeded += batch.length;
    seedBar.update(seeded);
  }
  const filters = ['', 'status=planning', 'category=legal', 'breached=true', 'escalated=true&category=quality', 'customerId=s42'];
  const lists = await load('list requests', counts.listRequests, 4, async (i) => {
    const res = await fetch(`${service.apiUrl}/api/v1/complaints?limit=20&${filters[i % filters.length]}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
  });
  results.scale = {
    openCases: counts.openCases, workerRssMb: round(rssOpen), workerRssMbAfter: round(rssAfter), rssMbAtStart: round(rssStart),
    heapMbAtStart: round(heapStart), heapMbAfter: round(heapAfter), listP50Ms: round(lists.p50), listP99Ms: round(lists.p99),
    readModelCases: await model.countDocuments(),
  };
} finally {
  bars.stop();
  rawWorker.shutdown();
  await rawRunning;
  await mongo.close();
  await connection.close();
  await service.stop();
  await rm(dir, { recursive: true, force: true });
}

results.machine = {
  cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 2 ** 30), node: process.version,
  platform: `${os.platform()} ${os.release()}`, quick, at: new Date().toISOString(),
  note: 'service (API + worker), raw worker and benchmark client in one Node process; Temporal dev server (SQLite) and FerretDB (SQLite) on the same machine',
};
const ordered = { machine: results.machine, intake: results.intake, update: results.update, breachLag: results.breachLag, scale: results.scale };
await mkdir(path.join(here, 'results'), { recursive: true });
await writeFile(path.join(here, 'results', 'latest.json'), `${JSON.stringify(ordered, null, 2)}\n`);

const r = ordered as any;
const table = new Table({ head: ['figure', 'ours', 'raw Temporal', 'ratio / target'] });
table.push(
  ['intake (complaints/s)', `${r.intake.apiPerSec} (x${r.intake.atConcurrency}, p50 ${r.intake.p50Ms} ms, p99 ${r.intake.p99Ms} ms)`, r.intake.rawStartPerSec, `${r.intake.ratio} (≥ 0.9)`],
  ['update p50 / p99 (ms)', `${r.update.apiP50Ms} / ${r.update.apiP99Ms}`, `${r.update.rawP50Ms} / ${r.update.rawP99Ms}`, `${r.update.ratio} (≤ 2)`],
  ['breach lag p50 / p99 / max (ms)', `${r.breachLag.p50Ms} / ${r.breachLag.p99Ms} / ${r.breachLag.maxMs} (n=${r.breachLag.n})`, '', 'p99 ≤ 1000'],
  ['RSS with open cases (MB)', `${r.scale.workerRssMb} → ${r.scale.workerRssMbAfter} (${r.scale.openCases} cases)`, '', '≤ 1024, flat'],
  ['list p50 / p99 (ms)', `${r.scale.listP50Ms} / ${r.scale.listP99Ms} (${r.scale.readModelCases} cases)`, '', 'p99 ≤ 50'],
);
console.log(table.toString());
console.log(`written to ${path.join('bench', 'results', 'latest.json')}`);
process.exit(0);
