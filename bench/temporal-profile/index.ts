// BENCH_SERVER_PROF=dir: a CPU profile of the Temporal dev server over the whole run (Linux
// `perf`, sampling every thread of its process 499 times a second of CPU), and what one change
// costs the server by the work it did: each CPU budget's measured windows, divided by its units.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuBudget } from '../cpu-budget';
import { round } from '../stats';
import { workOf } from './work';

const hertz = 499;
const here = path.dirname(fileURLToPath(import.meta.url));

export interface ServerWork {
  /** CPU ms per unit the profile saw in the budget's windows (the pollers' idle work included). */
  totalMs: number;
  /** The same by RPC, queue task or runtime work, largest first. */
  byWork: Record<string, number>;
}

export class TemporalServerProfile {
  private constructor(
    private readonly perf: ChildProcess,
    private readonly files: { data: string; symbolize: string; binary: string; script: string },
  ) {}

  /** Starts recording `pid`; fails at once (not after the run) when perf or Go is missing. */
  static async start(pid: number, dir: string): Promise<TemporalServerProfile> {
    if (spawnSync('perf', ['--version']).status !== 0) {
      throw new Error('BENCH_SERVER_PROF needs Linux perf (Debian: apt-get install linux-perf)');
    }
    const symbolize = path.join(dir, 'symbolize');
    const built = spawnSync('go', ['build', '-o', symbolize, '.'], { cwd: here, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`BENCH_SERVER_PROF needs Go to build bench/temporal-profile: ${built.error?.message ?? built.stderr}`);
    const data = path.join(dir, 'temporal.perf.data');
    // -k mono: sample times on the clock of process.hrtime, which the budgets' windows use.
    const perf = spawn('perf', ['record', '-F', String(hertz), '-g', '-k', 'mono', '-p', String(pid), '-o', data], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    perf.stderr!.on('data', (d) => (errors += d));
    await new Promise((r) => setTimeout(r, 1000));
    if (perf.exitCode !== null) throw new Error(`perf record exited (${perf.exitCode}): ${errors.trim()}`);
    return new TemporalServerProfile(perf, { data, symbolize, binary: readlinkSync(`/proc/${pid}/exe`), script: path.join(dir, 'temporal.perf.txt') });
  }

  async stop(): Promise<void> {
    if (this.perf.exitCode !== null || this.perf.signalCode !== null) return;
    const exited = once(this.perf, 'exit');
    this.perf.kill('SIGINT');
    await exited;
  }

  /** The server's CPU per unit of each budget, by the work it did. */
  async perUnit(budgets: Record<string, CpuBudget>): Promise<Record<string, ServerWork>> {
    const { data, symbolize, binary, script } = this.files;
    // The samples to a file first: a failure of either program is then its own, with its message.
    const out = openSync(script, 'w');
    try {
      await run('perf', ['script', '-i', data, '-F', 'time,ip,sym'], ['ignore', out, 'pipe']);
    } finally {
      closeSync(out);
    }
    const windows = Object.entries(budgets).flatMap(([label, budget]) => budget.windows.map(([from, to]) => `${label}=${from},${to}`));
    const input = openSync(script, 'r');
    let stacks: Record<string, Record<string, number>>;
    try {
      stacks = JSON.parse(await run(symbolize, [binary, ...windows], [input, 'pipe', 'pipe']));
    } finally {
      closeSync(input);
    }
    return Object.fromEntries(
      Object.entries(budgets).map(([label, budget]) => {
        const byWork: Record<string, number> = {};
        for (const [stack, n] of Object.entries(stacks[label] ?? {})) {
          const work = workOf(stack.split(';'));
          byWork[work] = (byWork[work] ?? 0) + n;
        }
        const perUnit = (samples: number) => round((samples * 1000) / hertz / Math.max(1, budget.units), 2);
        const sorted = Object.entries(byWork).sort(([, a], [, b]) => b - a).map(([work, n]) => [work, perUnit(n)]);
        return [label, { totalMs: perUnit(Object.values(byWork).reduce((a, b) => a + b, 0)), byWork: Object.fromEntries(sorted) }];
      }),
    );
  }
}

/** Runs a program to its end; its standard output, or an error with its standard error. */
async function run(command: string, args: string[], stdio: ['ignore' | number, 'pipe' | number, 'pipe']): Promise<string> {
  const child = spawn(command, args, { stdio });
  const output: Buffer[] = [];
  let errors = '';
  child.stdout?.on('data', (d: Buffer) => output.push(d));
  child.stderr!.on('data', (d) => (errors += d));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${path.basename(command)} ${args[0]} failed (${code}): ${errors.trim().slice(-2000)}`);
  return Buffer.concat(output).toString('utf8');
}
