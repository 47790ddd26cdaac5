import { QUERY_AHEAD_OF_WORKFLOW_TASK } from '@temporalio/worker/lib/workflow/vm-shared';
import { describe, expect, it } from 'vitest';
import { isQueryAheadOfWorkflowTask, queryAgainInterceptor } from '../../runtime/query-again';

const refused = () => Object.assign(new Error('Query failed'), { cause: new Error(QUERY_AHEAD_OF_WORKFLOW_TASK) });
const input = { queryType: 'getComplaint', args: [], workflowExecution: { workflowId: 'complaint-1' }, headers: {} } as never;

describe('asking a refused query again (decision 031)', () => {
  it('knows the worker\'s refusal, in the error or its causes, and nothing else', () => {
    expect(QUERY_AHEAD_OF_WORKFLOW_TASK).toMatch(/no workflow task has processed/);
    expect(isQueryAheadOfWorkflowTask(new Error(QUERY_AHEAD_OF_WORKFLOW_TASK))).toBe(true);
    expect(isQueryAheadOfWorkflowTask(refused())).toBe(true);
    expect(isQueryAheadOfWorkflowTask(new Error('Workflow Task in failed state'))).toBe(false);
    expect(isQueryAheadOfWorkflowTask(undefined)).toBe(false);
  });

  it('asks again after a refusal, and gives up after five', async () => {
    let calls = 0;
    const answer = await queryAgainInterceptor.query!(input, async () => (++calls < 3 ? Promise.reject(refused()) : 'the case'));
    expect(answer).toBe('the case');
    expect(calls).toBe(3);

    calls = 0;
    await expect(queryAgainInterceptor.query!(input, async () => { calls++; throw refused(); })).rejects.toThrow('Query failed');
    expect(calls).toBe(5);
  });

  it('passes any other failure through at once', async () => {
    let calls = 0;
    await expect(queryAgainInterceptor.query!(input, async () => { calls++; throw new Error('no worker'); })).rejects.toThrow('no worker');
    expect(calls).toBe(1);
  });
});
