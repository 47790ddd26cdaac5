// The raw-Temporal baseline of the benchmarks: a workflow that does nothing but wait for an
// update and answer it. Every figure of ours is compared with this on the same server.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const pingUpdate = defineUpdate<number, [number]>('ping');

export async function trivialWorkflow(): Promise<void> {
  let pings = 0;
  setHandler(pingUpdate, (n: number) => {
    pings += 1;
    return n;
  });
  await condition(() => pings >= 1_000_000);
}
