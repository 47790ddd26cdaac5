/**
 * Holds work back while something more urgent is under way, for a bounded time: the worker's
 * first attempts at notices wait while it has workflow tasks or local activities in hand, so
 * that in a burst the deadlines' tasks get the cores first (decision 032). One timer looks for
 * all waiters; work goes once the process has been seen idle twice in a row (a single idle look
 * may fall between two tasks), and none waits longer than `maxWaitMs`.
 */
export class BusyGate {
  private waiters: Array<{ until: number; release: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private idleLooks = 0;

  constructor(
    private readonly busy: () => boolean,
    private readonly maxWaitMs: number,
    private readonly lookEveryMs = 20,
    private readonly idleLooksToRelease = 2,
  ) {}

  /**
   * Resolves once the process has been idle for `idleLooksToRelease` looks, or after
   * `maxWaitMs`. Not looked at now: the caller is often part of what keeps the process busy
   * (the record that queued the notices is a local activity of the task it belongs to).
   */
  wait(): Promise<void> {
    if (this.maxWaitMs <= 0) return Promise.resolve();
    return new Promise((release) => {
      this.waiters.push({ until: Date.now() + this.maxWaitMs, release });
      if (this.timer === undefined) {
        this.idleLooks = 0;
        this.timer = setInterval(() => this.look(), this.lookEveryMs);
        // Waiting messages keep no process alive: a stopping one lets them go (`releaseAll`).
        this.timer.unref();
      }
    });
  }

  /** Lets every waiter go (the process is stopping). */
  releaseAll(): void {
    for (const waiter of this.waiters) waiter.release();
    this.waiters = [];
    this.stopLooking();
  }

  private look(): void {
    this.idleLooks = this.busy() ? 0 : this.idleLooks + 1;
    const idle = this.idleLooks >= this.idleLooksToRelease;
    const now = Date.now();
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (idle || waiter.until <= now) waiter.release();
      else still.push(waiter);
    }
    this.waiters = still;
    if (still.length === 0) this.stopLooking();
  }

  private stopLooking(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
