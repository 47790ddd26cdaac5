import { ServiceError, type WorkflowHandle } from '@temporalio/client';
import { defineUpdate } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { executeUpdateOnce, isAbortedByWorkflowTaskFailure, UpdateNotReadyError } from '../../runtime/workflow-updates';

const ping = defineUpdate<string, [number]>('ping');
/** What @temporalio/client throws when the server aborted the update (gRPC status 9). */
const aborted = (details = 'Unable to perform workflow execution update due to unexpected workflow task failure.') =>
  new ServiceError('Workflow Update failed', {
    cause: Object.assign(new Error('9 FAILED_PRECONDITION'), { code: 9, details }),
  });
/**
 * The same refusal through the native connection (decision 028): core-bridge's ServiceError has
 * the server's status text as its message and an empty `details`.
 */
const abortedNatively = (text = 'Unable to perform workflow execution update due to unexpected workflow task failure.') =>
  new ServiceError('Workflow Update failed', { cause: Object.assign(new Error(text), { name: 'ServiceError', code: 9, details: '' }) });
/** A worker was killed holding the task: the server refuses until the task's next attempt. */
const taskFailed = () => aborted('Unable to perform workflow execution update due to Workflow Task in failed state.');
const fast = { budgetMs: 50, initialDelayMs: 1, maxDelayMs: 4 };

/** A handle whose executeUpdate answers from a script and records every call's options. */
function scriptedHandle(answers: Array<() => string>) {
  const calls: Array<{ updateId?: string; args: unknown[] }> = [];
  const handle = {
    executeUpdate: async (_def: unknown, options: { updateId?: string; args: unknown[] }) => {
      calls.push(options);
      return answers[calls.length - 1]!();
    },
  } as unknown as WorkflowHandle;
  return { handle, calls };
}

describe('executeUpdateOnce', () => {
  it('sends an update the server aborted again, under the same update id', async () => {
    const { handle, calls } = scriptedHandle([() => { throw aborted(); }, () => { throw aborted(); }, () => 'pong']);
    await expect(executeUpdateOnce(handle, ping, [7], { retry: fast })).resolves.toBe('pong');
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.updateId)).size).toBe(1);
    expect(calls[0]!.updateId).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls.every((c) => c.args[0] === 7)).toBe(true);
  });

  it('passes any other error on at once', async () => {
    const refused = new ServiceError('Workflow Update failed', { cause: Object.assign(new Error('5 NOT_FOUND'), { code: 5, details: 'not found' }) });
    const { handle, calls } = scriptedHandle([() => { throw refused; }, () => 'pong']);
    await expect(executeUpdateOnce(handle, ping, [1], { retry: fast })).rejects.toBe(refused);
    expect(calls).toHaveLength(1);
  });

  it('sends an update aborted through the native connection again, under the same update id', async () => {
    const { handle, calls } = scriptedHandle([() => { throw abortedNatively(); }, () => 'pong']);
    await expect(executeUpdateOnce(handle, ping, [7], { retry: fast })).resolves.toBe('pong');
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.updateId)).size).toBe(1);
  });

  it('waits out a task left failed by a killed worker, under the same update id', async () => {
    const { handle, calls } = scriptedHandle([() => { throw taskFailed(); }, () => { throw taskFailed(); }, () => 'pong']);
    await expect(executeUpdateOnce(handle, ping, [7], { retry: fast })).resolves.toBe('pong');
    expect(new Set(calls.map((c) => c.updateId)).size).toBe(1);
  });

  it('gives up when the budget is spent with UpdateNotReadyError, which keeps the server\'s error', async () => {
    const { handle, calls } = scriptedHandle(Array.from({ length: 1000 }, () => () => { throw aborted(); }));
    const err = await executeUpdateOnce(handle, ping, [1], { retry: { budgetMs: 20, initialDelayMs: 2, maxDelayMs: 8 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpdateNotReadyError);
    expect(isAbortedByWorkflowTaskFailure((err as UpdateNotReadyError).cause)).toBe(true);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThan(10);
  });

  it('recognises the abort only by status 9 with the server\'s wording', () => {
    expect(isAbortedByWorkflowTaskFailure(aborted())).toBe(true);
    expect(isAbortedByWorkflowTaskFailure(taskFailed())).toBe(true);
    expect(isAbortedByWorkflowTaskFailure(abortedNatively('Unable to perform workflow execution update due to Workflow Task in failed state.'))).toBe(true);
    expect(isAbortedByWorkflowTaskFailure(abortedNatively('Workflow is not ready'))).toBe(false);
    expect(isAbortedByWorkflowTaskFailure(Object.assign(new Error('x'), { code: 9, details: 'Workflow is not ready' }))).toBe(false);
    expect(isAbortedByWorkflowTaskFailure(new Error('unexpected workflow task failure'))).toBe(false);
    expect(isAbortedByWorkflowTaskFailure(undefined)).toBe(false);
  });
});
