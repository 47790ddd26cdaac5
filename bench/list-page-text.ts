/**
 * What the API spends turning one list page into its answer's text: `npm run bench:list-page-text`.
 *
 * No servers: 20 cases as the read model lists them (bench/seeded-cases.ts), made into a page's
 * JSON text for an agent as the API does (decision 036: the stored text joined with the badge)
 * and as it did before (each snapshot parsed, copied per view and serialised again), alternating
 * over rounds. Per page: the time, and the young-generation collections per 1,000 pages (the
 * garbage each way leaves). Prints a table and writes bench/results/list-page-text.json.
 *
 *   BENCH_TEXT_PAGES=5000 BENCH_TEXT_ROUNDS=3
 */
import Table from 'cli-table3';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summaryOf, type ListedCase } from '../activities/read-model';
import { listBadgeOf, listPageText } from '../api/complaint-list';
import { viewFor } from '../domain/case-views';
import type { Actor } from '../domain/complaint-schema';
import { seededCaseDocument } from './seeded-cases';
import { round } from './stats';

const here = path.dirname(fileURLToPath(import.meta.url));
const counts = { pages: Number(process.env.BENCH_TEXT_PAGES ?? 5000), rounds: Number(process.env.BENCH_TEXT_ROUNDS ?? 3) };
const agent: Actor = { role: 'agent', sub: 'a1' };
const timeZone = 'Asia/Shanghai';
const items: ListedCase[] = Array.from({ length: 20 }, (_, n) => {
  const doc = seededCaseDocument(n, new Date(Date.now() - n * 60_000).toISOString(), 'general', n % 2 === 0);
  return { id: doc._id, status: doc.status, snapshot: doc.snapshot, clockTimes: JSON.parse(doc.clocks!) };
});

/** The page as the API made it before decision 036 (its code of a2611de^, the badge shared). */
function parsedPageText(viewer: Actor, now: Date): string {
  const shown = items.flatMap((item) => {
    const view = viewFor(viewer, { ...summaryOf(item), timeline: [] });
    if (!view) return [];
    const { timeline: _timeline, ...rest } = view;
    return [{ ...rest, ...listBadgeOf(item, now, timeZone) }];
  });
  return JSON.stringify({ items: shown });
}

const ways: Record<string, (now: Date) => string> = {
  'stored text joined (decision 036)': (now) => listPageText(agent, { items }, now, timeZone),
  'parsed, copied, serialised (before)': (now) => parsedPageText(agent, now),
};
const fixed = new Date();
const [joined, parsed] = Object.values(ways).map((way) => way(fixed));
if (joined !== parsed) throw new Error('the two ways give different texts');

let minorCollections = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorCollections++;
}).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20)); // gc entries arrive asynchronously

const runs: Record<string, Array<{ usPerPage: number; minorCollectionsPer1000Pages: number }>> = {};
for (let r = 0; r < counts.rounds; r++) {
  for (const [name, way] of Object.entries(ways)) {
    for (let i = 0; i < 500; i++) way(new Date()); // warm
    await settle();
    minorCollections = 0;
    const t = performance.now();
    for (let i = 0; i < counts.pages; i++) way(new Date());
    const usPerPage = ((performance.now() - t) * 1000) / counts.pages;
    await settle();
    (runs[name] ??= []).push({ usPerPage: round(usPerPage, 0), minorCollectionsPer1000Pages: round((minorCollections * 1000) / counts.pages, 1) });
  }
}

const results = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, at: new Date().toISOString() },
  counts, pageBytes: joined!.length, runs,
};
await mkdir(path.join(here, 'results'), { recursive: true });
await writeFile(path.join(here, 'results', 'list-page-text.json'), `${JSON.stringify(results, null, 2)}\n`);
const table = new Table({ head: ['an agent\'s page of 20, to its text', 'µs per page, by round', 'young-generation collections per 1,000 pages'] });
for (const [name, rounds] of Object.entries(runs)) {
  table.push([name, rounds.map((x) => x.usPerPage).join(' / '), rounds.map((x) => x.minorCollectionsPer1000Pages).join(' / ')]);
}
console.log(`${results.pageBytes} bytes a page, the same text both ways`);
console.log(table.toString());
console.log('written to bench/results/list-page-text.json');
