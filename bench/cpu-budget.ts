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

/**
 * The machine's CPU over time, every process together, sampled every `everyMs` while it runs:
 * how much of a piece of work was done by a given moment (a burst's last notice), less what the
 * idle system spends.
 */
export class CpuTimeline {
  private readonly samples: Array<[atMs: number, seconds: number]> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly idle: Record<string, number>, private readonly everyMs = 200) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** CPU seconds spent from `fromMs` to `toMs` (epoch milliseconds), linearly between samples, less the idle system's. */
  spentBetween(fromMs: number, toMs: number): number {
    const idlePerSecond = Object.values(this.idle).reduce((a, b) => a + b, 0);
    return Math.max(0, this.at(toMs) - this.at(fromMs) - (idlePerSecond * (toMs - fromMs)) / 1000);
  }

  private sample(): void {
    this.samples.push([Date.now(), Object.values(cpuSeconds()).reduce((a, b) => a + b, 0)]);
  }

  private at(ms: number): number {
    const { samples } = this;
    if (samples.length === 0) return 0;
    const after = samples.findIndex(([at]) => at >= ms);
    if (after === -1) return samples[samples.length - 1]![1];
    if (after === 0) return samples[0]![1];
    const [[t0, s0], [t1, s1]] = [samples[after - 1]!, samples[after]!];
    return s0 + ((s1 - s0) * (ms - t0)) / Math.max(1, t1 - t0);
  }
}

const monotonicSeconds = () => Number(process.hrtime.bigint()) / 1e9;

/** CPU seconds by process, summed over the runs measured with it. */
export class CpuBudget {
  readonly spent: Record<string, number> = {};
  /** When each measurement ran, in seconds of the monotonic clock (a server profile's time). */
  readonly windows: Array<[number, number]> = [];
  units = 0;

  constructor(private readonly idle: Record<string, number>) {}

  /** The machine's CPU over time, less the same idle system's: when within a measurement its work was done. */
  timeline(): CpuTimeline {
    return new CpuTimeline(this.idle);
  }

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
