import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { liveStatus, type ErasureRequest } from '../activities/erasure';
import type { ComplaintReadModel } from '../activities/read-model';
import { erasureWorkflowId } from '../domain/personal-data';
import { hasEnded } from '../domain/vocabulary';
import type { ErasureOutcome } from '../workflows/erasure';

/** What an erasure request is answered: done, or under way (it finishes by itself). */
export const erasureAnswerSchema = z.object({
  id: z.string(),
  status: z.enum(['erased', 'pending']).describe('`pending`: the erasure is under way (the case\'s last run is still finishing) and completes by itself.'),
  erasedAt: z.iso.datetime({ offset: true }).optional(),
});
export type ErasureAnswer = z.infer<typeof erasureAnswerSchema>;

export class ErasureError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface ErasureServiceDependencies {
  temporal: Client;
  taskQueue: string;
  readModel: ComplaintReadModel;
  /** How long a request waits for its erasure before answering `pending`. */
  waitMs?: number;
}

/**
 * Erasure on request (ops, or the consumer who owns the case): checks what the caller can be
 * told at once (unknown case, still open, erased already), then runs the case's erasure
 * workflow (workflows/erasure.ts) — joining it if one is under way — and waits a little for it.
 */
export class ErasureService {
  constructor(private readonly deps: ErasureServiceDependencies) {}

  /** `owner`: the consumer asking must be the case's (anyone else is told there is no such case). */
  async erase(request: ErasureRequest, owner?: string): Promise<ErasureAnswer> {
    const stored = await this.deps.readModel.summary(request.caseId);
    if (!stored || (owner !== undefined && stored.customerId !== owner)) throw new ErasureError(404, `No complaint ${request.caseId}.`);
    if (stored.erasedAt) return { id: request.caseId, status: 'erased', erasedAt: stored.erasedAt };
    // The read model may not show a withdrawal made a moment ago: the running workflow knows.
    if (!hasEnded(stored.status) && !hasEnded((await liveStatus(this.deps.temporal, request.caseId)) ?? stored.status)) {
      throw new ErasureError(409, `The complaint is ${stored.status}: its personal data can be erased once it is closed or withdrawn.`);
    }
    const handle = await this.deps.temporal.workflow.start('erasePersonalDataWorkflow', {
      workflowId: erasureWorkflowId(request.caseId),
      taskQueue: this.deps.taskQueue,
      args: [request],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, this.deps.waitMs ?? 20_000, undefined)));
    try {
      const outcome = await Promise.race([handle.result() as Promise<ErasureOutcome>, waited]);
      return outcome ? { id: request.caseId, status: 'erased', erasedAt: outcome.erasedAt } : { id: request.caseId, status: 'pending' };
    } catch (err) {
      const cause = err instanceof WorkflowFailedError ? err.cause?.cause ?? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === 'CaseStillOpen') throw new ErasureError(409, cause.message);
      if (cause instanceof ApplicationFailure && cause.type === 'CaseNotFound') throw new ErasureError(404, cause.message);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
