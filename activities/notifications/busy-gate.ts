/**
 * Holds work back while something more urgent is under way, for a bounded time: the worker's
 * first attempts at notices wait while it has workflow tasks in hand, so that in a burst the
 * deadlines are handled before the messages about them are sent (decision 032). One timer
 * looks for all waiters; none waits longer than `maxWaitMs`.
 */
export class BusyGate {
  private waiters: Array<{ until: number; release: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly busy: () => boolean,
    private readonly maxWaitMs: number,
    private readonly checkEveryMs = 20,
  ) {}

  /** Resolves at once when not busy; otherwise once it is not, or after `maxWaitMs`. */
  wait(): Promise<void> {
    if (this.maxWaitMs <= 0 || !this.busy()) return Promise.resolve();
    return new Promise((release) => {
      this.waiters.push({ until: Date.now() + this.maxWaitMs, release });
      this.timer ??= setInterval(() => this.check(), this.checkEveryMs);
    });
  }

  /** Lets every waiter go (the process is stopping). */
  releaseAll(): void {
    for (const waiter of this.waiters) waiter.release();
    this.waiters = [];
    this.stopTimer();
  }

  private check(): void {
    const idle = !this.busy();
    const now = Date.now();
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (idle || waiter.until <= now) waiter.release();
      else still.push(waiter);
    }
    this.waiters = still;
    if (still.length === 0) this.stopTimer();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
