// `npm run bench:web`: the web console's figures (issue 19). Prints a table and writes
// bench/results/web.json. Not part of the tests.
//   - JavaScript shipped for the console entry, gzip (target ≤ 250 KB)
//   - the queue's first page through the API with 100,000 cases in the read model (p95 ≤ 300 ms)
//   - first load of the console over localhost to interactive, signed in (≤ 1 s)
//   BENCH_QUICK=1  5,000 cases and fewer loads, for a smoke run
import Table from 'cli-table3';
import mongoose from 'mongoose';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { complaintModel } from '../activities/read-model';
import { signToken } from '../api/auth';
import { startEmbeddedFerretDb, startEmbeddedTemporal } from '../runtime/embedded';
import { freePort } from '../runtime/processes';
import { startServiceProcess } from './processes';
import { seededCaseDocument } from './seeded-cases';
import { percentile, round } from './stats';

const quick = process.env.BENCH_QUICK === '1';
const counts = { cases: quick ? 5_000 : 100_000, queueRequests: quick ? 100 : 300, loads: quick ? 5 : 20 };
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const secret = 'bench-secret-0123456789abcdef';

/** The console entry's JavaScript as a browser loads it: its script and every module it preloads. */
async function consoleJavaScript(): Promise<{ files: number; rawKb: number; gzipKb: number }> {
  const dist = path.join(root, 'web', 'dist');
  const html = await readFile(path.join(dist, 'console.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gzip = 0;
  for (const file of new Set(scripts)) {
    const bytes = await readFile(path.join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: new Set(scripts).size, rawKb: round(raw / 1024), gzipKb: round(gzip / 1024) };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'complaints-bench-web-'));
const temporal = await startEmbeddedTemporal({ dataDir: dir, port: await freePort() });
const ferret = await startEmbeddedFerretDb({ dataDir: dir, port: await freePort() });
const service = await startServiceProcess(root, 'main.ts', 'API + worker', {
  DATA_DIR: dir, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'error', TEMPORAL_ADDRESS: temporal.address, MONGODB_URI: ferret.uri,
  RATE_LIMIT_PER_MINUTE: '10000000', AUTH_DEV_PROVIDER_PORT: String(await freePort()),
});
const mongo = await mongoose.createConnection(ferret.uri).asPromise();
const results: Record<string, unknown> = {};
try {
  results.consoleJavaScript = await consoleJavaScript();

  // The read model seeded directly: open cases at every stage, their deadlines spread over weeks.
  const model = complaintModel(mongo);
  await model.init();
  const agent = { role: 'agent', sub: 'bench-agent' } as const;
  const started = Date.now();
  for (let seeded = 0; seeded < counts.cases; ) {
    const batch = Array.from({ length: Math.min(2000, counts.cases - seeded) }, (_, k) => {
      const n = seeded + k;
      return seededCaseDocument(n, new Date(Date.UTC(2026, 10, 1) + n * 37_000).toISOString(), 'general', n % 3 !== 0);
    });
    await model.insertMany(batch, { ordered: false, lean: true });
    seeded += batch.length;
    process.stdout.write(`\rseeded ${seeded}/${counts.cases}`);
  }
  process.stdout.write('\n');
  const seedS = round((Date.now() - started) / 1000);

  // The queue's first page, as the console asks for it: soonest deadline first, and at risk.
  const token = await signToken(secret, agent);
  const timed = async (query: string) => {
    const times: number[] = [];
    for (let i = 0; i < counts.queueRequests; i++) {
      const t = performance.now();
      const res = await fetch(`${service.url}/api/v1/complaints?${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`queue answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
    return { p50Ms: round(percentile(times, 0.5)), p95Ms: round(percentile(times, 0.95)), p99Ms: round(percentile(times, 0.99)) };
  };
  results.queue = {
    readModelCases: await model.countDocuments(), seedS, requests: counts.queueRequests,
    soonestFirst: await timed('sort=nextDeadline&limit=25'),
    soonestFirstReceived: await timed('sort=nextDeadline&status=received&limit=25'),
    atRisk: await timed(`sort=nextDeadline&atRisk=true&limit=25`),
  };

  // First load of the console, signed in, each in a fresh browser context (nothing cached).
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const signIn = await browser.newContext();
    const page = await signIn.newPage();
    await page.goto(`${service.url}/auth/login?returnTo=${encodeURIComponent('/console')}`);
    await page.getByLabel('Username').fill('agent-1');
    await page.getByLabel('Password').fill('agent-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/console**`);
    const storageState = await signIn.storageState();
    await signIn.close();
    const loads: number[] = [];
    const domInteractive: number[] = [];
    for (let i = 0; i < counts.loads; i++) {
      const context = await browser.newContext({ storageState });
      const tab = await context.newPage();
      const t = performance.now();
      await tab.goto(`${service.url}/console`);
      // Interactive: the queue shows its first page of cases (rows with their badges).
      await tab.locator('tbody tr').first().waitFor({ state: 'visible' });
      loads.push(performance.now() - t);
      // Runs in the page (a DOM PerformanceNavigationTiming); this file is type-checked with Node's types.
      domInteractive.push(await tab.evaluate('performance.getEntriesByType("navigation")[0].domInteractive') as number);
      await context.close();
    }
    results.firstLoad = {
      loads: counts.loads, toQueueShownP50Ms: round(percentile(loads, 0.5)), toQueueShownP95Ms: round(percentile(loads, 0.95)),
      domInteractiveP50Ms: round(percentile(domInteractive, 0.5)),
    };
  } finally {
    await browser.close();
  }
} finally {
  await mongo.close();
  await service.stop();
  await ferret.stop();
  await temporal.stop();
  await rm(dir, { recursive: true, force: true });
}

results.machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, quick, at: new Date().toISOString() };
await mkdir(path.join(here, 'results'), { recursive: true });
const file = quick ? 'web-quick.json' : 'web.json';
await writeFile(path.join(here, 'results', file), `${JSON.stringify(results, null, 2)}\n`);

const r = results as any;
const table = new Table({ head: ['figure', 'measured', 'target'] });
table.push(
  ['console entry JavaScript (gzip)', `${r.consoleJavaScript.gzipKb} KB (${r.consoleJavaScript.files} files, ${r.consoleJavaScript.rawKb} KB raw)`, '≤ 250 KB'],
  [`queue first page p50 / p95 (ms), ${r.queue.readModelCases} cases`, `${r.queue.soonestFirst.p50Ms} / ${r.queue.soonestFirst.p95Ms}`, 'p95 ≤ 300'],
  ['  … status=received', `${r.queue.soonestFirstReceived.p50Ms} / ${r.queue.soonestFirstReceived.p95Ms}`, ''],
  ['  … at risk', `${r.queue.atRisk.p50Ms} / ${r.queue.atRisk.p95Ms}`, ''],
  ['console first load to queue shown p50 / p95 (ms)', `${r.firstLoad.toQueueShownP50Ms} / ${r.firstLoad.toQueueShownP95Ms} (domInteractive ${r.firstLoad.domInteractiveP50Ms})`, '≤ 1000'],
);
console.log(table.toString());
console.log(`written to ${path.join('bench', 'results', file)}`);
process.exit(0);
