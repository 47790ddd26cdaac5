import { ServiceError, type WorkflowHandle } from '@temporalio/client';
import { defineUpdate } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { executeUpdateOnce, isAbortedByWorkflowTaskFailure } from '../../runtime/workflow-updates';

const ping = defineUpdate<string, [number]>('ping');
/** What @temporalio/client throws when the server aborted the update (gRPC status 9). */
const aborted = () =>
  new ServiceError('Workflow Update failed', {
    cause: Object.assign(new Error('9 FAILED_PRECONDITION'), {
      code: 9, details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
    }),
  });

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
    await expect(executeUpdateOnce(handle, ping, [7], { retry: { attempts: 5, initialDelayMs: 1 } })).resolves.toBe('pong');
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.updateId)).size).toBe(1);
    expect(calls[0]!.updateId).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls.every((c) => c.args[0] === 7)).toBe(true);
  });

  it('passes any other error on at once', async () => {
    const refused = new ServiceError('Workflow Update failed', { cause: Object.assign(new Error('5 NOT_FOUND'), { code: 5, details: 'not found' }) });
    const { handle, calls } = scriptedHandle([() => { throw refused; }, () => 'pong']);
    await expect(executeUpdateOnce(handle, ping, [1], { retry: { attempts: 5, initialDelayMs: 1 } })).rejects.toBe(refused);
    expect(calls).toHaveLength(1);
  });

  it('gives up after the last attempt with the server\'s error', async () => {
    const { handle, calls } = scriptedHandle(Array.from({ length: 5 }, () => () => { throw aborted(); }));
    const err = await executeUpdateOnce(handle, ping, [1], { retry: { attempts: 3, initialDelayMs: 1 } }).catch((e: unknown) => e);
    expect(isAbortedByWorkflowTaskFailure(err)).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it('recognises the abort only by status 9 with the server\'s wording', () => {
    expect(isAbortedByWorkflowTaskFailure(aborted())).toBe(true);
    expect(isAbortedByWorkflowTaskFailure(Object.assign(new Error('x'), { code: 9, details: 'Workflow is not ready' }))).toBe(false);
    expect(isAbortedByWorkflowTaskFailure(new Error('unexpected workflow task failure'))).toBe(false);
    expect(isAbortedByWorkflowTaskFailure(undefined)).toBe(false);
  });
});
