/**
 * What one list page costs the store, by how it is read: `npm run bench:list-page`.
 *
 * Starts FerretDB (the project's build), seeds the read model with cases as the workflows
 * store them (bench/seeded-cases.ts), and reads newest-first pages of
 * 20 (21 documents: the page and the next one's marker) one after the other — as
 * `ComplaintReadModel.list` reads them, and as it read them before (every field but the
 * timeline) — recording the wall time and FerretDB's CPU per page. Prints a table and writes
 * bench/results/list-page.json. Alternates the two paths over several rounds.
 *
 *   BENCH_LIST_CASES=20000 BENCH_LIST_PAGES=400 BENCH_LIST_ROUNDS=3
 */
import Table from 'cli-table3';
import mongoose from 'mongoose';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { complaintModel, ComplaintReadModel } from '../activities/read-model';
import { startEmbeddedFerretDb } from '../runtime/embedded';
import { freePort } from '../runtime/processes';
import { cpuSeconds } from './processes';
import { seededCaseDocument } from './seeded-cases';
import { percentile, round } from './stats';

const here = path.dirname(fileURLToPath(import.meta.url));
const counts = {
  cases: Number(process.env.BENCH_LIST_CASES ?? 20_000),
  pages: Number(process.env.BENCH_LIST_PAGES ?? 400),
  rounds: Number(process.env.BENCH_LIST_ROUNDS ?? 3),
};
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-list-page-'));
const ferret = await startEmbeddedFerretDb({ dataDir: dir, port: await freePort() });
const connection = await mongoose.createConnection(ferret.uri).asPromise();
try {
  const model = complaintModel(connection);
  await model.init();
  for (let seeded = 0; seeded < counts.cases; ) {
    const batch = Array.from({ length: Math.min(2000, counts.cases - seeded) }, (_, k) => {
      const n = seeded + k;
      return seededCaseDocument(n, new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(), 'complex', n % 2 === 0);
    });
    await model.insertMany(batch, { ordered: false, lean: true });
    seeded += batch.length;
  }

  const readModel = new ComplaintReadModel(model);
  const paths: Record<string, () => Promise<unknown>> = {
    // Today's list: a projection of the item's fields (activities/read-model.ts, listItemFields).
    'list (item fields only)': () => readModel.list({}, 20),
    // Before: every stored field but the timeline, the list's filter fields among them.
    'every field but the timeline': () =>
      model.collection.find({}, { projection: { timeline: 0 }, sort: { createdAt: -1, _id: -1 }, hint: { createdAt: -1, _id: -1 }, limit: 21 }).toArray(),
  };
  const ferretCpuMs = () => (cpuSeconds().ferretdb ?? 0) * 1000;
  const runs: Record<string, Array<{ p50Ms: number; ferretCpuMsPerPage: number }>> = {};
  for (let r = 0; r < counts.rounds; r++) {
    for (const [name, read] of Object.entries(paths)) {
      for (let i = 0; i < 30; i++) await read(); // warm
      const times: number[] = [];
      const cpuBefore = ferretCpuMs();
      for (let i = 0; i < counts.pages; i++) {
        const t = performance.now();
        await read();
        times.push(performance.now() - t);
      }
      (runs[name] ??= []).push({ p50Ms: round(percentile(times, 0.5), 2), ferretCpuMsPerPage: round((ferretCpuMs() - cpuBefore) / counts.pages, 2) });
    }
  }

  const results = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, at: new Date().toISOString() },
    counts, documentFields: Object.keys((await model.collection.findOne({}))!).length, runs,
  };
  await mkdir(path.join(here, 'results'), { recursive: true });
  await writeFile(path.join(here, 'results', 'list-page.json'), `${JSON.stringify(results, null, 2)}\n`);
  const table = new Table({ head: ['read path (21 documents a page)', 'p50 per page (ms), by round (the list also parses its items)', 'FerretDB CPU per page (ms), by round'] });
  for (const [name, rounds] of Object.entries(runs)) {
    table.push([name, rounds.map((x) => x.p50Ms).join(' / '), rounds.map((x) => x.ferretCpuMsPerPage).join(' / ')]);
  }
  console.log(`${counts.cases} cases of ${results.documentFields} stored fields each`);
  console.log(table.toString());
  console.log('written to bench/results/list-page.json');
} finally {
  await connection.close();
  await ferret.stop();
  await rm(dir, { recursive: true, force: true });
}
