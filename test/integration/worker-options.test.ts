import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codecFromConfig, developmentPayloadKeys } from '../../runtime/payload-codec';
import { createComplaintWorker } from '../../worker';
import { installTestRuntime } from '../support/service';

/** The worker's settings reach the SDK (decision 027: the sticky queue's timeout). */
describe('the complaint worker\'s options', () => {
  let connection: NativeConnection;
  beforeAll(async () => {
    installTestRuntime();
    connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('lets a cached case\'s task wait the configured seconds on its sticky queue (the SDK\'s default is 10)', async () => {
    const worker = await createComplaintWorker({
      connection, namespace: 'default', taskQueue: 'worker-options', activities: {} as never,
      codec: codecFromConfig(developmentPayloadKeys), workflowBundle: { codePath: inject('workflowBundlePath') }, stickyTimeoutS: 30,
    });
    expect(worker.options.stickyQueueScheduleToStartTimeoutMs).toBe(30_000);
    await worker.runUntil(Promise.resolve()); // started and shut down: the connection is free again
  });
});
