// BENCH_SERVER_PROF=dir: a CPU profile of the Temporal dev server over the whole run (Linux
// `perf`, sampling every thread of its process 499 times a second of CPU), and what one change
// costs the server by the work it did: each CPU budget's measured windows, divided by its units.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuBudget } from '../cpu-budget';
import { round } from '../stats';
import { workOf } from './work';

const hertz = 499;
const here = path.dirname(fileURLToPath(import.meta.url));

export interface ServerWork {
  /** CPU ms per unit the profile saw in the budget's windows (idle work included). */
  totalMs: number;
  /** The same by RPC, queue task or runtime work, largest first. */
  byWork: Record<string, number>;
}

export class TemporalServerProfile {
  private constructor(
    private readonly perf: ChildProcess,
    private readonly data: string,
    private readonly binary: string,
    private readonly dir: string,
  ) {}

  static async start(pid: number, dir: string): Promise<TemporalServerProfile> {
    if (spawnSync('perf', ['--version']).status !== 0) {
      throw new Error('BENCH_SERVER_PROF needs Linux perf (Debian: apt-get install linux-perf)');
    }
    const data = path.join(dir, 'temporal.perf.data');
    // -k mono: sample times on the clock of process.hrtime, which the budgets' windows use.
    const perf = spawn('perf', ['record', '-F', String(hertz), '-g', '-k', 'mono', '-p', String(pid), '-o', data], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1000));
    if (perf.exitCode !== null) throw new Error(`perf record exited (${perf.exitCode}): is perf_event_paranoid too strict?`);
    return new TemporalServerProfile(perf, data, readlinkSync(`/proc/${pid}/exe`), dir);
  }

  async stop(): Promise<void> {
    if (this.perf.exitCode !== null) return;
    this.perf.kill('SIGINT');
    await once(this.perf, 'exit');
  }

  /** The server's CPU per unit of each budget, by the work it did (one pass over the profile). */
  async perUnit(budgets: Record<string, CpuBudget>): Promise<Record<string, ServerWork>> {
    const symbolize = path.join(this.dir, 'symbolize');
    const built = spawnSync('go', ['build', '-o', symbolize, '.'], { cwd: here, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building the symbolizer failed: ${built.stderr}`);
    const windows = Object.entries(budgets).flatMap(([label, budget]) => budget.windows.map(([from, to], i) => `${label}#${i}=${from},${to}`));
    const script = spawn('perf', ['script', '-i', this.data, '-F', 'time,ip,sym'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const named = spawn(symbolize, [this.binary, ...windows], { stdio: ['pipe', 'pipe', 'inherit'] });
    script.stdout.pipe(named.stdin);
    let json = '';
    named.stdout.on('data', (d) => (json += d));
    await once(named, 'exit');
    const stacks = JSON.parse(json) as Record<string, Record<string, number>>;
    return Object.fromEntries(
      Object.entries(budgets).map(([label, budget]) => {
        const byWork: Record<string, number> = {};
        for (const [window, counts] of Object.entries(stacks)) {
          if (window.slice(0, window.lastIndexOf('#')) !== label) continue;
          for (const [stack, n] of Object.entries(counts)) byWork[workOf(stack.split(';'))] = (byWork[workOf(stack.split(';'))] ?? 0) + n;
        }
        const perUnit = (samples: number) => round((samples * 1000) / hertz / Math.max(1, budget.units), 2);
        const sorted = Object.entries(byWork).sort(([, a], [, b]) => b - a).map(([work, n]) => [work, perUnit(n)]);
        return [label, { totalMs: perUnit(Object.values(byWork).reduce((a, b) => a + b, 0)), byWork: Object.fromEntries(sorted) }];
      }),
    );
  }
}
