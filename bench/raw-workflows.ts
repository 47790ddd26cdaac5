// The raw-Temporal baselines of the benchmarks, on the same server as the service. Every figure
// of ours is compared with the nearest trivial equivalent here:
// - intake ↔ a start of `trivialWorkflow` (one workflow task);
// - an action ↔ `pingUpdate` on it (an update that changes nothing);
// - a breach ↔ `timerThenActivity`: a timer, then one activity when it fires.
import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { RawActivities } from './raw-activities';

export const pingUpdate = defineUpdate<number, [number]>('ping');

export async function trivialWorkflow(): Promise<void> {
  let pings = 0;
  setHandler(pingUpdate, (n: number) => {
    pings += 1;
    return n;
  });
  await condition(() => pings >= 1_000_000);
}

const { touch } = proxyActivities<RawActivities>({ startToCloseTimeout: '30s' });

/**
 * Sleeps until `dueAt` (ms since the epoch), then runs one activity, which reports the lags: how
 * late the workflow woke (as the complaint workflow's breach records its `at`), and how late
 * the activity ran (as the breach's record reaches the read model and the outbox).
 */
export async function timerThenActivity(burst: string, dueAt: number): Promise<void> {
  const wait = dueAt - Date.now();
  if (wait > 0) await sleep(wait);
  await touch(burst, dueAt, Date.now() - dueAt);
}
