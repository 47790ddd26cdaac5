// `npm run bench:what-if`: the what-if over a quarter (issue 23). Prints a table and writes
// bench/results/what-if.json. Not part of the tests.
//   - 100,000 cases of 2026-Q3 in the read model and their report facts, driven through the
//     real lifecycle (5,000 distinct simulated cases, each stored 20 times under its own id),
//     and 25,000 report facts in each neighbouring month (June, October) that it must not read
//   - POST /api/v1/reports/what-if through the API process: the identity run (the cases' own
//     policy: every breach must agree), then acknowledgement at 12 h (target: ≤ 60 s)
//   - memory: the API process's peak RSS and heap during a 10 % period and during the quarter
//     (streaming: the quarter must not need more than the tenth)
//   BENCH_QUICK=1  10,000 cases, for a smoke run
import Table from 'cli-table3';
import mongoose from 'mongoose';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { complaintDocument, complaintModel } from '../activities/read-model';
import { reportFactsModel } from '../activities/report-facts-store';
import { signToken } from '../api/auth';
import { severities } from '../domain/complaint-schema';
import { reportFacts } from '../domain/report-facts';
import { startEmbeddedFerretDb, startEmbeddedTemporal } from '../runtime/embedded';
import { freePort } from '../runtime/processes';
import { defaultPolicyPath, loadSlaPolicy } from '../runtime/sla-policy-file';
import type { WhatIfReport } from '../services/what-if-report';
import { simulateCase } from '../test/support/simulated-cases';
import { cpuSeconds, cpuSpent, startServiceProcess, type ServiceProcess } from './processes';
import { round } from './stats';

const quick = process.env.BENCH_QUICK === '1';
const copies = quick ? 2 : 20;
const distinct = 5_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const secret = 'bench-secret-0123456789abcdef';
const quarter = { from: '2026-07-01T00:00:00+08:00', to: '2026-10-01T00:00:00+08:00' };
const quarterMs = Date.parse(quarter.to) - Date.parse(quarter.from);

const dir = await mkdtemp(path.join(os.tmpdir(), 'complaints-bench-what-if-'));
const temporal = await startEmbeddedTemporal({ dataDir: dir, port: await freePort() });
const ferret = await startEmbeddedFerretDb({
  dataDir: dir, port: await freePort(),
  ...(process.env.BENCH_CPU_PROF ? { cpuProfile: path.join(path.resolve(process.env.BENCH_CPU_PROF), `ferretdb-${Date.now()}.pprof`) } : {}),
});
const api = await startServiceProcess(root, 'main.ts', 'API process', {
  DATA_DIR: dir, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'error', TEMPORAL_ADDRESS: temporal.address, MONGODB_URI: ferret.uri,
  COMPONENTS: 'api', RATE_LIMIT_PER_MINUTE: '10000000', AUTH_DEV_PROVIDER_PORT: '0',
});
const mongo = await mongoose.createConnection(ferret.uri).asPromise();
const token = await signToken(secret, { role: 'supervisor', sub: 'bench-supervisor' });
const results: Record<string, unknown> = {};

/** The API process's RSS and heap, sampled every 200 ms while `work` runs: the peaks. */
async function peakMemory<T>(process: ServiceProcess, work: () => Promise<T>): Promise<{ value: T; peakRssMb: number; peakHeapMb: number }> {
  let peakRssMb = 0;
  let peakHeapMb = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      const m = await process.memory();
      peakRssMb = Math.max(peakRssMb, m.rssMb);
      peakHeapMb = Math.max(peakHeapMb, m.heapMb);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  try {
    return { value: await work(), peakRssMb: round(peakRssMb), peakHeapMb: round(peakHeapMb) };
  } finally {
    running = false;
    await sampling;
  }
}

async function whatIf(policy: unknown, from: string, to: string) {
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  const measured = await peakMemory(api, async () => {
    const res = await fetch(`${api.url}/api/v1/reports/what-if`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ policy, from, to }),
    });
    if (res.status !== 200) throw new Error(`what-if answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as WhatIfReport;
  });
  const seconds = round((performance.now() - started) / 1000, 2);
  const cpu = cpuSpent(cpuBefore, cpuSeconds());
  const report = measured.value;
  const stage = (name: string) => report.stages.filter((s) => s.stage === name);
  const sum = (rows: WhatIfReport['stages'], key: 'breachedNow' | 'breachedCandidate') => rows.reduce((t, r) => t + r[key], 0);
  return {
    cases: report.cases, seconds, casesPerSecond: Math.round(report.cases / seconds),
    peakRssMb: measured.peakRssMb, peakHeapMb: measured.peakHeapMb,
    cpuSeconds: { api: cpu['API process'] ?? 0, ferretdb: cpu.ferretdb ?? 0 },
    selfCheck: { agreeing: report.selfCheck.agreeing, disagreeing: report.selfCheck.disagreeing, unknownPolicy: report.selfCheck.unknownPolicy.cases },
    acknowledgeBreaches: { now: sum(stage('acknowledge'), 'breachedNow'), candidate: sum(stage('acknowledge'), 'breachedCandidate') },
    flips: report.flips.total,
    escalations: report.escalations,
  };
}

try {
  // The read model: cases of 2026-Q3 driven through the lifecycle under the default policy,
  // each severity in turn; stored as the worker's record activity stores them.
  const model = complaintModel(mongo);
  const factsModel = reportFactsModel(mongo);
  await Promise.all([model.init(), factsModel.init()]);
  const own = loadSlaPolicy(undefined);
  const total = distinct * copies;
  const seedStarted = performance.now();
  let seeded = 0;
  const outcomes: Record<string, number> = {};
  for (let seed = 1; seed <= distinct; seed++) {
    const { state } = simulateCase(seed, own.forSeverity(severities[seed % 3]!), { receivedFrom: Date.parse(quarter.from), receivedWithinMs: quarterMs - 86_400_000, observedAt: Date.now() });
    outcomes[state.complaint.status] = (outcomes[state.complaint.status] ?? 0) + copies;
    const copiesOf = Array.from({ length: copies }, (_, k) => ({ ...state.complaint, id: `q3-${seed}-${k}` }));
    await model.insertMany(copiesOf.map(complaintDocument), { ordered: false, lean: true });
    await factsModel.insertMany(copiesOf.map((c) => reportFacts(c, state.policy.calendar)), { ordered: false, lean: true });
    seeded += copies;
    if (seeded % 5000 === 0) process.stdout.write(`\rseeded ${seeded}/${total}`);
  }
  process.stdout.write('\n');
  // The months either side hold cases too (their facts only), as in a running system: a quarter's
  // what-if must not read them.
  const template = (await factsModel.findOne({}).lean())!;
  const neighbours = copies * 1_250;
  for (const [month, first] of [['2026-06', Date.parse('2026-06-01T00:00:00+08:00')], ['2026-10', Date.parse('2026-10-01T00:00:00+08:00')]] as const) {
    for (let done = 0; done < neighbours; done += 5_000) {
      await factsModel.insertMany(Array.from({ length: 5_000 }, (_, k) => {
        const createdAt = new Date(first + ((done + k) % (29 * 24 * 60)) * 60_000);
        return { ...template, _id: `${month}-${done + k}`, createdAt, month, day: Number(createdAt.toISOString().slice(8, 10)) };
      }), { ordered: false, lean: true });
    }
  }
  results.readModel = {
    cases: await model.countDocuments(), distinctCases: distinct, byStatus: outcomes, neighbouringMonthFacts: 2 * neighbours,
    seedSeconds: round((performance.now() - seedStarted) / 1000),
  };

  const file = JSON.parse(await readFile(defaultPolicyPath, 'utf8')) as { policies?: Record<string, Record<string, string>> };
  const twelveHours = { ...file, version: 'ack-12h', policies: Object.fromEntries(severities.map((s) => [s, { ...file.policies?.[s], acknowledge: '12h' }])) };
  // A tenth of the quarter first: the quarter's peak memory must not grow with its ten times the cases.
  const tenthTo = new Date(Date.parse(quarter.from) + quarterMs / 10).toISOString();
  results.tenth = await whatIf(twelveHours, quarter.from, tenthTo);
  results.identity = await whatIf(file, quarter.from, quarter.to);
  results.acknowledge12h = await whatIf(twelveHours, quarter.from, quarter.to);
  results.api = await api.memory();
} finally {
  await mongo.close();
  await api.stop();
  await ferret.stop();
  await temporal.stop();
  await rm(dir, { recursive: true, force: true });
}

results.machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, quick, at: new Date().toISOString() };
await mkdir(path.join(here, 'results'), { recursive: true });
const out = quick ? 'what-if-quick.json' : 'what-if.json';
await writeFile(path.join(here, 'results', out), `${JSON.stringify(results, null, 2)}\n`);

type Run = Awaited<ReturnType<typeof whatIf>>;
const r = results as { tenth: Run; identity: Run; acknowledge12h: Run };
const table = new Table({ head: ['run', 'cases', 'seconds', 'cases/s', 'CPU s (API / FerretDB)', 'API peak RSS / heap (MB)', 'self-check', 'ack breaches now → candidate', 'flips'] });
for (const [name, run] of [['acknowledge 12 h, a tenth of the quarter', r.tenth], ['identity (own policy), the quarter', r.identity], ['acknowledge 12 h, the quarter', r.acknowledge12h]] as const) {
  table.push([
    name, run.cases, run.seconds, run.casesPerSecond, `${run.cpuSeconds.api} / ${run.cpuSeconds.ferretdb}`, `${run.peakRssMb} / ${run.peakHeapMb}`,
    `${run.selfCheck.agreeing} agree, ${run.selfCheck.disagreeing} disagree`, `${run.acknowledgeBreaches.now} → ${run.acknowledgeBreaches.candidate}`, run.flips,
  ]);
}
console.log(table.toString());
console.log(`target: the quarter's what-if ≤ 60 s; written to ${path.join('bench', 'results', out)}`);
process.exit(0);
