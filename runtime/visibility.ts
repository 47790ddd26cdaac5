import type { Client } from '@temporalio/client';

/**
 * Workflow executions a visibility query finds, read raw: ids and run ids only. The client's
 * `workflow.list` decodes every memo through the payload codec, so one case whose payloads it
 * cannot decrypt (a key not configured, a payload another party wrote) would fail the whole
 * listing — exactly when ops need to see that case.
 */
export async function listExecutions(
  client: Client,
  namespace: string,
  query: string,
  limit: number,
): Promise<Array<{ workflowId: string; runId: string }>> {
  const found: Array<{ workflowId: string; runId: string }> = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({ namespace, query, nextPageToken, pageSize: Math.min(limit, 1000) });
    for (const e of page.executions ?? []) {
      found.push({ workflowId: e.execution?.workflowId ?? '', runId: e.execution?.runId ?? '' });
      if (found.length >= limit) return found;
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return found;
}
