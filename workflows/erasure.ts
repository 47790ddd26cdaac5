import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { continueAsNew, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ErasureActivities, ErasureRequest } from '../activities/erasure';
import { erasureWorkflowId } from '../domain/personal-data';


// A database away for a while: keep retrying. The wait for a finishing run retries too. Each
// step is a few database writes: a worker that dies mid-step is noticed within 15 s.
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' } as const;
const erasure = proxyActivities<ErasureActivities>({ startToCloseTimeout: '15s', retry });

export interface ErasureOutcome {
  caseId: string;
  erasedAt: string;
}

/**
 * Erases a closed or withdrawn case's personal data everywhere the platform keeps it (issue
 * 24): the stored copies are replaced by the marker, then the case's key is destroyed, then
 * the audit log records who, when and why. Durable: a worker that dies mid-way resumes at the
 * step it was at, and every step is idempotent.
 */
export async function erasePersonalDataWorkflow(request: ErasureRequest): Promise<ErasureOutcome> {
  const erasedAt = new Date().toISOString();
  await erasure.beginErasure(request, erasedAt);
  await erasure.awaitCaseRunEnded(request.caseId);
  await erasure.eraseStoredPersonalData(request.caseId, erasedAt);
  const scheme = await erasure.destroyCaseKey(request.caseId, erasedAt);
  await erasure.recordErasure(request, erasedAt, scheme);
  return { caseId: request.caseId, erasedAt };
}

export interface SweepProgress {
  /** The instant the sweep judges "due" at: its start, kept across its runs. */
  now?: string;
  after?: string;
  erased?: number;
  failed?: string[];
}

const batchSize = 50;
/** Batches per run before it continues as new: its history stays small whatever the backlog. */
const batchesPerRun = 20;

/**
 * The retention sweep (a Temporal Schedule starts it daily, runtime/retention-schedule.ts):
 * erases every ended case whose personal data is past the policy's `retention.personalData`,
 * fifty at a time, each by its own erasure workflow. Resumable: after a crash it goes on
 * from its last batch; run twice, the second finds nothing due.
 */
export async function retentionSweepWorkflow(progress: SweepProgress = {}): Promise<{ erased: number; failed: string[] }> {
  const now = progress.now ?? new Date().toISOString();
  let after = progress.after;
  let erased = progress.erased ?? 0;
  const failed = [...(progress.failed ?? [])];
  for (let batch = 0; batch < batchesPerRun; batch++) {
    const { due, next } = await erasure.casesDueForErasure(now, after, batchSize);
    const outcomes = await Promise.allSettled(due.map((caseId) => eraseOne(caseId)));
    outcomes.forEach((o, i) => (o.status === 'fulfilled' ? (erased += o.value) : failed.push(due[i]!)));
    if (!next) return { erased, failed: failed.slice(0, 1000) };
    after = next;
  }
  return continueAsNew<typeof retentionSweepWorkflow>({ now, after, erased, failed: failed.slice(0, 1000) });
}

/** 1 when this sweep erased it, 0 when an erasure (ops, the consumer) was already under way. */
async function eraseOne(caseId: string): Promise<number> {
  try {
    await executeChild(erasePersonalDataWorkflow, {
      workflowId: erasureWorkflowId(caseId),
      taskQueue: workflowInfo().taskQueue,
      args: [{ caseId, actor: 'system:retention', reason: 'the retention period of its personal data ended', trigger: 'retention' }],
    });
    return 1;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 0;
    throw err;
  }
}
