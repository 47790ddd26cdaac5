// What a piece of work costs in CPU, every process of the machine together: from its first
// request until the system is quiet again (its follow-up work included), less what the idle
// system spends in that time (pollers, timers).
import { cpuSeconds } from './processes';
import { round } from './stats';

/** CPU seconds per second each process spends while nothing is asked of it. */
export async function idleCpuPerSecond(seconds = 5): Promise<Record<string, number>> {
  const [before, started] = [cpuSeconds(), performance.now()];
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  return Object.fromEntries(Object.entries(cpuSeconds()).map(([name, s]) => [name, (s - (before[name] ?? 0)) / elapsed]));
}

/** Waits until the servers and the service are idle (< 10 % of a core for 3 s); the seconds it waited. */
export async function quiet(limitMs = 600_000): Promise<number> {
  const busy = (c: Record<string, number>) => Object.entries(c).filter(([name]) => !name.startsWith('bench')).reduce((sum, [, s]) => sum + s, 0);
  const started = Date.now();
  for (let before = cpuSeconds(); Date.now() - started < limitMs; ) {
    await new Promise((r) => setTimeout(r, 3000));
    const now = cpuSeconds();
    if (busy(now) - busy(before) < 0.3) break;
    before = now;
  }
  return Math.round((Date.now() - started) / 1000);
}

const monotonicSeconds = () => Number(process.hrtime.bigint()) / 1e9;

/** CPU seconds by process, summed over the runs measured with it. */
export class CpuBudget {
  readonly spent: Record<string, number> = {};
  /** When each measurement ran, in seconds of the monotonic clock (a server profile's time). */
  readonly windows: Array<[number, number]> = [];
  units = 0;

  constructor(private readonly idle: Record<string, number>) {}

  /** Runs `run` (doing `units` pieces of work) and adds its CPU until quiet, less the idle system's. */
  async measure<T>(units: number, run: () => Promise<T>): Promise<T> {
    const [before, started, from] = [cpuSeconds(), performance.now(), monotonicSeconds()];
    const result = await run();
    await quiet();
    this.windows.push([from, monotonicSeconds()]);
    const [after, seconds] = [cpuSeconds(), (performance.now() - started) / 1000];
    for (const [name, s] of Object.entries(after)) {
      this.spent[name] = (this.spent[name] ?? 0) + Math.max(0, s - (before[name] ?? 0) - (this.idle[name] ?? 0) * seconds);
    }
    this.units += units;
    return result;
  }

  /** Milliseconds of CPU per unit of work: in all, and by process. */
  perUnit(): { totalMs: number; byProcess: Record<string, number> } {
    const units = Math.max(1, this.units);
    const byProcess = Object.fromEntries(
      Object.entries(this.spent).filter(([, s]) => s > 0).map(([name, s]) => [name, round((s * 1000) / units, 2)]),
    );
    return { totalMs: round((Object.values(this.spent).reduce((a, b) => a + b, 0) * 1000) / units, 2), byProcess };
  }
}
