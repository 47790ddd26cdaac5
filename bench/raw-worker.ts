// The raw baseline's worker: raw Temporal as shipped (the SDK's defaults), in the benchmark's
// own process, running bench/raw-workflows.ts on the `bench-raw` task queue.
import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawTimerLags } from './raw-activities';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts the raw worker against the Temporal server at `address`; `running` ends when it is shut down. */
export async function startRawWorker(address: string): Promise<{ lags: RawTimerLags; worker: Worker; running: Promise<void> }> {
  const lags = new RawTimerLags();
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue: 'bench-raw',
    workflowsPath: path.join(here, 'raw-workflows.ts'),
    activities: lags.activities,
  });
  return { lags, worker, running: worker.run() };
}
