import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The server aborts an update whose workflow task it failed while validating the worker's
 * answer — most often "unhandled command": the task that took the update also continued the
 * workflow as new, and a handler's answer arrived meanwhile. Nothing of that task was committed,
 * so the same update, sent again under the same id, runs exactly once (gRPC FAILED_PRECONDITION,
 * server error WorkflowNotReady; the client does not retry it by itself).
 */
export function isAbortedByWorkflowTaskFailure(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Object; e = (e as { cause?: unknown }).cause) {
    const { code, details } = e as { code?: unknown; details?: unknown };
    if (code === 9 && typeof details === 'string' && /unexpected workflow task failure/i.test(details)) return true;
  }
  return false;
}

export interface UpdateRetry {
  /** How many times an aborted update is sent again before its error is passed on. */
  attempts: number;
  /** The first pause between attempts; it doubles each time. */
  initialDelayMs: number;
}

const defaultRetry: UpdateRetry = { attempts: 6, initialDelayMs: 50 };

/**
 * Executes a workflow update, sending it again (same update id) when the server aborted it.
 * A caller's own `updateId` (from an Idempotency-Key) makes its retries the same update too.
 */
export async function executeUpdateOnce<Ret, Args extends [unknown, ...unknown[]]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  { retry = defaultRetry, updateId = randomUUID() }: { retry?: UpdateRetry; updateId?: string } = {},
): Promise<Ret> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate(update, { args, updateId });
    } catch (err) {
      if (attempt >= retry.attempts || !isAbortedByWorkflowTaskFailure(err)) throw err;
      await sleep(retry.initialDelayMs * 2 ** (attempt - 1));
    }
  }
}
