/** One raw timer's lags after its due time: when its workflow woke, and when its activity ran. */
export interface RawTimerLag {
  noticedMs: number;
  recordedMs: number;
}

/**
 * The raw baseline's one activity after a timer: it only hands the timer's lags to the
 * benchmark (the raw worker runs in the benchmark's process), so no client polls for results.
 */
export class RawTimerLags {
  private readonly lags = new Map<string, RawTimerLag[]>();
  private readonly waiters = new Set<() => void>();

  readonly activities = {
    touch: async (burst: string, dueAt: number, noticedMs: number): Promise<void> => {
      const lags = this.lags.get(burst) ?? [];
      lags.push({ noticedMs, recordedMs: Date.now() - dueAt });
      this.lags.set(burst, lags);
      for (const wake of this.waiters) wake();
    },
  };

  /** Resolves with the lags of `burst` once `n` timers have fired. */
  async collect(burst: string, n: number): Promise<RawTimerLag[]> {
    for (;;) {
      const lags = this.lags.get(burst) ?? [];
      if (lags.length >= n) return lags;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }
}
export type RawActivities = RawTimerLags['activities'];
