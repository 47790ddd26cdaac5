import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, installTestRuntime } from '../support/service';

/**
 * The SDK's guard against workflow code that never yields, with one watchdog per activation
 * (decision 037: the SDK is patched to run an activation's calls into the workflow's context
 * under one `vm` timeout instead of one each). A workflow that spins must still fail its task and
 * give its thread back; the activations of other workflows, several calls each, must still run.
 */
describe('the workflow thread\'s watchdog (real Temporal server)', () => {
  let connection: NativeConnection;
  let client: Client;
  let bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>;

  beforeAll(async () => {
    installTestRuntime();
    bundle = await bundleWorkflowCode({
      workflowsPath: path.resolve('test/fixtures/watchdog/workflows.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    // Plain payloads: these workflows are the SDK's business only, not the service's.
    client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
  });
  afterAll(async () => {
    await client?.connection.close();
    await connection?.close();
  });

  it('fails the task of a workflow that never yields, and its thread runs the next workflow', async () => {
    const taskQueue = `watchdog-${randomUUID()}`;
    // The SDK's timeout (5 s by default; an option its public type does not list), shortened.
    const shortTimeout = { isolateExecutionTimeout: '1s' };
    // One workflow thread, so the workflow after the spinning one runs on the thread it held.
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: bundle, workflowThreadPoolSize: 1, ...shortTimeout });
    await worker.runUntil(async () => {
      // Twice: after a timeout the thread's next activations are under the guard again.
      for (const round of [1, 2]) {
        const spinner = await client.workflow.start('spinsOnSignal', { workflowId: `spin-${round}-${randomUUID()}`, taskQueue });
        await spinner.signal('spin');
        const failure = await eventually(async () => {
          const { events } = await spinner.fetchHistory();
          return events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure;
        }, 15_000);
        expect(failure?.message).toMatch(/Script execution timed out after 1000ms/);
        await spinner.terminate();
      }

      const steps = await client.workflow.execute('unblocksInTurn', { workflowId: `turns-${randomUUID()}`, taskQueue });
      expect(steps).toBe(3);
    });
  });
});
