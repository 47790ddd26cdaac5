import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import { consumer, eventually, installTestRuntime, newComplaintBody, startTestService, testClient, type TestService } from '../support/service';

/** The SDK's answer to `__enhanced_stack_trace`. */
interface EnhancedStackTrace {
  stacks: Array<{ locations: Array<{ file_path?: string; function_name?: string; line?: number; column?: number }> }>;
}

/** Stack traces without the repository's path and Node's line numbers, so they read the same on any machine. */
const relative = (text: string) => text.split(`${process.cwd()}/`).join('').replace(/(node:[\w/]+):\d+:\d+/g, '$1:N:N');
/** The same for the enhanced answer's locations. */
const relativeLocations = (stacks: EnhancedStackTrace['stacks']) =>
  stacks.map((s) => s.locations.map((l) => ({
    ...l,
    ...(l.file_path ? { file_path: relative(l.file_path) } : {}),
    ...(l.file_path?.startsWith('node:') ? { line: 0, column: 0 } : {}),
  })));

/**
 * What the SDK as shipped answers for test/fixtures/stack-traces/aggregates.ts, recorded from it
 * (`npx patch-package --reverse`, then this test with RECORD_STACK_TRACES=1; `npx patch-package`).
 */
const expectedFile = (name: string) => path.resolve('test/fixtures/stack-traces', name);

/**
 * Where a live case waits, as ops see it in the Temporal UI's Stack Trace tab: the SDK's stack
 * trace queries, answered from the stacks its promise hook keeps for every pending promise. The
 * SDK is patched (decision 030) to keep them as call sites and source-map them only when asked;
 * the answers must read exactly as the SDK's own.
 */
describe('a workflow\'s stack trace (real servers)', () => {
  let service: TestService;
  let temporal: Client;

  beforeAll(async () => {
    service = await startTestService();
    temporal = await testClient(service.mongoUri);
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  it('names the lines of a case\'s own source where it waits, and nothing of the SDK\'s hooks', async () => {
    const res = await service.api.post('/api/v1/complaints', newComplaintBody(), consumer('stack-1'));
    expect(res.status).toBe(201);
    const handle = temporal.workflow.getHandle(complaintWorkflowId(res.body.id as string));
    // The two answers taken while the case stands still (its first record may still be running).
    const { text, enhanced } = await eventually(async () => {
      const before = await handle.query<string>('__stack_trace').catch(() => undefined);
      const structured = await handle.query<EnhancedStackTrace>('__enhanced_stack_trace').catch(() => undefined);
      const after = await handle.query<string>('__stack_trace').catch(() => undefined);
      return before && structured && before === after && /complaint\.ts/.test(before) ? { text: before, enhanced: structured } : undefined;
    });
    const stacks = text.split('\n\n').filter(Boolean);
    // Each stack is frames, source-mapped into the workflow's TypeScript where they are ours.
    for (const line of stacks.flatMap((s) => s.split('\n'))) expect(line).toMatch(/^ {4}at \S/);
    // The case waits on its deadline timer (aimAt) and in its record loop (complaintWorkflow).
    expect(text).toMatch(/ {4}at aimAt \([^()]*workflows\/complaint\.ts:\d+:\d+\)/);
    expect(text).toMatch(/ {4}at complaintWorkflow \([^()]*workflows\/complaint\.ts:\d+:\d+\)/);
    expect(text).not.toMatch(/initAll|vm-shared|promise_hooks|workflow-bundle|runInContext \(node:vm/);

    expect(enhanced.stacks).toHaveLength(stacks.length);
    const ours = enhanced.stacks.flatMap((s) => s.locations).filter((l) => l.file_path?.endsWith('workflows/complaint.ts'));
    expect(ours.map((l) => l.function_name)).toEqual(expect.arrayContaining(['aimAt', 'complaintWorkflow']));
    for (const location of ours) {
      expect(location.line).toBeGreaterThan(0);
      expect(location.column).toBeGreaterThan(0);
    }
  });

  it('links the promises an aggregator makes to the aggregator, as the SDK does', async () => {
    installTestRuntime();
    const bundle = await bundleWorkflowCode({
      workflowsPath: path.resolve('test/fixtures/stack-traces/aggregates.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    // Plain payloads: this workflow is the SDK's business only, not the service's.
    const plain = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
    const taskQueue = `stack-${randomUUID()}`;
    try {
      const worker = await Worker.create({ connection, taskQueue, workflowBundle: bundle });
      await worker.runUntil(async () => {
        const handle = await plain.workflow.start('aggregates', { workflowId: `stack-${randomUUID()}`, taskQueue });
        const text = await eventually(async () => {
          const trace = await handle.query<string>('__stack_trace').catch(() => undefined);
          return trace?.includes('aggregates.ts') ? trace : undefined;
        });
        const enhanced = relativeLocations((await handle.query<EnhancedStackTrace>('__enhanced_stack_trace')).stacks);
        if (process.env.RECORD_STACK_TRACES === '1') {
          writeFileSync(expectedFile('aggregates.stack-trace.txt'), `${relative(text)}\n`);
          writeFileSync(expectedFile('aggregates.enhanced-stack-trace.json'), `${JSON.stringify(enhanced, null, 1)}\n`);
        }
        expect(relative(text)).toBe(readFileSync(expectedFile('aggregates.stack-trace.txt'), 'utf8').trimEnd());
        expect(enhanced).toEqual(JSON.parse(readFileSync(expectedFile('aggregates.enhanced-stack-trace.json'), 'utf8')));
        await handle.terminate();
      });
    } finally {
      await plain.connection.close();
      await connection.close();
    }
  });
});
