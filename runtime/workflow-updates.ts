import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** The error and its causes, outermost first: the client wraps what the server or the worker said. */
export function* errorChain(err: unknown): Generator<object> {
  for (let e: unknown = err; e instanceof Object; e = (e as { cause?: unknown }).cause) yield e;
}

/**
 * The server refuses an update, without recording it, while the workflow's task cannot take it
 * (gRPC FAILED_PRECONDITION, server error WorkflowNotReady; the client does not retry it):
 * - "unexpected workflow task failure": it failed the task while validating the worker's
 *   answer — most often "unhandled command": the task that took the update also continued the
 *   workflow as new, and a handler's answer arrived meanwhile;
 * - "Workflow Task in failed state": the last task failed or timed out — a worker was killed
 *   holding it — and the next attempt has not started yet (up to the task timeout, 10 s).
 * Nothing was committed, so the same update, sent again under the same id, runs exactly once.
 */
export function isAbortedByWorkflowTaskFailure(err: unknown): boolean {
  for (const e of errorChain(err)) {
    const { code, details, message } = e as { code?: unknown; details?: unknown; message?: unknown };
    // grpc-js gives the server's status text in `details`; the native connection (decision 028)
    // in `message`, with `details` empty.
    const text = [details, message].filter((t) => typeof t === 'string').join(' ');
    if (code === 9 && /unexpected workflow task failure|workflow task in failed state/i.test(text)) return true;
  }
  return false;
}

/** An update the workflow could not take in time: the caller may send it again (same key). */
export class UpdateNotReadyError extends Error {
  constructor(override readonly cause: unknown) {
    super('The case is recovering from a failed workflow task; the update was not applied.');
  }
}

export interface UpdateRetry {
  /** How long an aborted update is sent again before UpdateNotReadyError. */
  budgetMs: number;
  /** The first pause between attempts; it doubles each time, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

// A killed worker's task times out after 10 s (the SDK's default task timeout) and then runs
// on another worker: the budget covers that with room for the retry itself.
const defaultRetry: UpdateRetry = { budgetMs: 15_000, initialDelayMs: 50, maxDelayMs: 1_000 };

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
  const giveUpAt = Date.now() + retry.budgetMs;
  for (let delay = retry.initialDelayMs; ; delay = Math.min(delay * 2, retry.maxDelayMs)) {
    try {
      return await handle.executeUpdate(update, { args, updateId });
    } catch (err) {
      if (!isAbortedByWorkflowTaskFailure(err)) throw err;
      if (Date.now() + delay > giveUpAt) throw new UpdateNotReadyError(err);
      await sleep(delay);
    }
  }
}
