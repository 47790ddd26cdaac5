// `npm run bench:replay`: the CPU one process spends replaying every recorded history of the
// workflow (test/fixtures/histories) through the worker's own bundle — the workflow thread's
// work per activation (the SDK's sandbox calls and promise hooks, our workflow code), with no
// server and no database, so two builds compare without the noise of the whole system. Replay
// is also what the worker does for a case that left its cache. Prints a table and writes
// bench/results/replay.json. Not part of the tests.
//   BENCH_REPLAY_ROUNDS=n   measured rounds over all the histories (default 3), after one warm-up round
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import Table from 'cli-table3';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataConverter } from '../runtime/data-converter';
import { codecFromConfig, developmentPayloadKeys } from '../runtime/payload-codec';
import { replayHistories } from '../services/ops';
import { loadHistoryFixtures } from '../test/support/history-fixtures';
import { workflowBundleOptions } from '../worker';
import { round } from './stats';

const rounds = Number(process.env.BENCH_REPLAY_ROUNDS ?? 3);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

Runtime.install({ logger: new DefaultLogger('ERROR') });
const bundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet });
const fixtures = loadHistoryFixtures();
const converter = dataConverter(codecFromConfig(developmentPayloadKeys));
/** Every fixture once, under ids of round `r` (the worker replays each id once). */
const historiesOfRound = (r: number) => fixtures.map((f) => ({ workflowId: `${f.workflowId}-${r}`, runId: `${f.name}-${r}`, history: f.history }));
const events = fixtures.reduce((sum, f) => sum + (f.history.events?.length ?? 0), 0) * rounds;

// A warm-up round: the bundle's first evaluation and V8's compilation are not what is measured.
await replayHistories(bundle, converter, historiesOfRound(0));
const [cpuBefore, started] = [process.cpuUsage(), performance.now()];
const results = await replayHistories(bundle, converter, Array.from({ length: rounds }, (_, r) => historiesOfRound(r + 1)).flat());
const cpu = process.cpuUsage(cpuBefore);
const wallMs = performance.now() - started;
const failed = results.filter((r) => r.result !== 'ok');
if (failed.length > 0) throw new Error(`${failed.length} histories did not replay: ${JSON.stringify(failed[0])}`);

const cpuMs = (cpu.user + cpu.system) / 1000;
const result = {
  histories: results.length, events, rounds,
  cpuS: round(cpuMs / 1000, 2), wallS: round(wallMs / 1000, 2),
  cpuMsPerHistory: round(cpuMs / results.length, 2), cpuMsPer1000Events: round((cpuMs * 1000) / events, 1),
};
const table = new Table({ head: ['replay', 'value'] });
table.push(
  ['histories (all fixtures × rounds)', `${result.histories} (${fixtures.length} × ${rounds}), ${events} events`],
  ['CPU, all threads', `${result.cpuS} s (wall ${result.wallS} s)`],
  ['CPU per history', `${result.cpuMsPerHistory} ms`],
  ['CPU per 1,000 events', `${result.cpuMsPer1000Events} ms`],
);
console.log(table.toString());
await mkdir(path.join(root, 'bench/results'), { recursive: true });
await writeFile(path.join(root, 'bench/results/replay.json'), `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
console.log('written to bench/results/replay.json');
