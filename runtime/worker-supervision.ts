import type { Worker } from '@temporalio/worker';
import type { Logger } from './logger';

/**
 * Runs the worker and notices when it dies: a worker whose run failed (the namespace is gone,
 * its polls are refused, a workflow thread crashed) never polls again, so the process must be
 * replaced. Readiness turns red at once, and `onFatal` tells the process (main.ts exits 1, so a
 * supervisor restarts it; tests observe it).
 */
export interface SupervisedWorker {
  /** Throws unless the worker is polling: the `worker` readiness check. */
  assertRunning(): void;
  stop(): Promise<void>;
}

/** The SDK marks a failed worker FAILED at once but settles run() only after its native shutdown. */
const stateCheckMs = 500;
const failedRunGraceMs = 5000;

export function superviseWorker(worker: Worker, logger: Logger, onFatal?: (err: Error) => void): SupervisedWorker {
  let stopping = false;
  let failure: Error | undefined;
  const fail = (err: Error) => {
    if (stopping || failure) return;
    failure = err;
    logger.fatal({ err }, 'the worker failed: this process runs no more workflows or activities');
    onFatal?.(err);
  };
  const running = worker.run().then(
    () => fail(new Error('the worker stopped although nobody stopped it')),
    (err: Error) => {
      if (failure) logger.error({ err }, 'the failed worker finished shutting down');
      else if (stopping) logger.warn({ err }, 'the worker did not shut down cleanly');
      else fail(err);
    },
  );
  const watch = setInterval(() => {
    if (worker.getState() === 'FAILED') fail(new Error('the worker failed (its run has not ended yet)'));
  }, stateCheckMs);
  watch.unref();
  return {
    assertRunning() {
      if (failure) throw failure;
      if (worker.getState() !== 'RUNNING') throw new Error(`worker is ${worker.getState()}`);
    },
    async stop() {
      stopping = true;
      clearInterval(watch);
      if (worker.getState() === 'RUNNING') worker.shutdown();
      // A failed worker may take a minute to release its polls; stopping need not wait for that.
      await (failure ? Promise.race([running, new Promise((r) => setTimeout(r, failedRunGraceMs).unref())]) : running);
    },
  };
}
