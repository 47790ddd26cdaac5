import type { WorkflowClientInterceptor } from '@temporalio/client';
import { QUERY_AHEAD_OF_WORKFLOW_TASK } from '@temporalio/worker/lib/workflow/vm-shared';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorChain } from './workflow-updates';

/** How often a refused query is asked again, and how long apart. */
const attempts = 5;
const pauseMs = 200;

/** Whether a query failed because the worker refused it (decision 031): it answers when asked again. */
export function isQueryAheadOfWorkflowTask(err: unknown): boolean {
  // Without the worker's patch there is no such refusal (and no message to look for).
  if (typeof QUERY_AHEAD_OF_WORKFLOW_TASK !== 'string') return false;
  return [...errorChain(err)].some((e) => String((e as { message?: unknown }).message ?? '').includes(QUERY_AHEAD_OF_WORKFLOW_TASK));
}

/**
 * Asks a query again (up to 5 attempts, 200 ms apart) when the worker refused it for bringing
 * events no workflow task had processed (decision 031). The worker has dropped the run
 * meanwhile; the server holds the next query until the pending task completes (after a worker
 * crash, up to the sticky timeout: 10 s) and answers it with that task: the case as it stands.
 */
export const queryAgainInterceptor: WorkflowClientInterceptor = {
  async query(input, next) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(input);
      } catch (err) {
        if (attempt >= attempts || !isQueryAheadOfWorkflowTask(err)) throw err;
        await sleep(pauseMs);
      }
    }
  },
};
