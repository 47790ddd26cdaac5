import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { getComplaintQuery } from '../workflows/messages';
import { complaintWorkflowId, type ComplaintWorkflowInput } from '../domain/complaint';
import { complaintSchema, reopenInputSchema, type Complaint } from '../domain/complaint-schema';
import { actorId } from '../domain/lifecycle';
import { reopenCase, reopenProblem, reopenRoles, type ReopenInput } from '../domain/reopen';
import type { ComplaintReadModel } from '../activities/read-model';
import type { SlaPolicySource } from '../runtime/sla-policy-file';
import type { ComplaintWorkflowArgs } from '../workflows/complaint';
import { idempotencyHeaders, idempotencyKeySchema, notFound, sha256, shownTo } from './complaints';
import { HttpProblem } from './problem';
import type { ApiBuilder } from './route';

export interface ReopenRouteDeps {
  temporal: Client;
  taskQueue: string;
  readModel: ComplaintReadModel;
  slaPolicy: SlaPolicySource;
}

const statusOf: Record<string, [number, string]> = { not_found: [404, 'Not Found'], forbidden: [403, 'Forbidden'], invalid_state: [409, 'Conflict'] };

/**
 * POST /complaints/{id}/reopen: a closed case, within the policy's window, starts a new run of
 * its workflow under the same id with its state carried in (domain/reopen.ts).
 */
export function reopenRoute(api: ApiBuilder, deps: ReopenRouteDeps): void {
  api.add(
    {
      method: 'post', path: '/complaints/{id}/reopen', tag: 'actions', summary: 'Reopen a closed complaint (within the reopen window)',
      roles: [...reopenRoles], body: reopenInputSchema, headers: idempotencyHeaders, errors: [404, 409, 503],
      response: {
        status: 200, schema: complaintSchema,
        description: 'The complaint back in investigation, with fresh deadlines (with an Idempotency-Key, a retry gets the case as it stands)',
      },
    },
    async ({ params, principal, body, req }) => {
      const id = params.id!;
      const key = req.header('idempotency-key') === undefined ? undefined : idempotencyKeySchema.parse(req.header('idempotency-key'));
      const reopenKey = key ? sha256(JSON.stringify([principal.role, principal.sub, key, body])) : undefined;
      const handle = deps.temporal.workflow.getHandle(complaintWorkflowId(id));
      // Past the namespace's retention the closed run is gone; the read model still has the case.
      const description = await handle.describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
      const running = description?.status.name === 'RUNNING';
      // A running case answers for itself; a finished one's last snapshot is exact (written before it completed).
      const stored = running ? await handle.query(getComplaintQuery) : await deps.readModel.get(id);
      const shown = shownTo(principal, stored);
      const complaint = stored!;
      if (running && reopenKey && description?.memo?.reopenKey === reopenKey) return { body: shown };
      const policy = deps.slaPolicy.forSeverity(complaint.severity);
      // An erasure under way: the case is about to lose its personal data, nothing reopens it.
      const erasure = running ? null : await deps.readModel.erasureOf(id);
      const problem = reopenProblem(erasure?.requestedAt ? { ...complaint, erasedAt: erasure.requestedAt } : complaint, principal, new Date(), policy);
      if (problem) {
        const [status, title] = statusOf[problem.kind]!;
        if (status === 404) throw notFound();
        throw new HttpProblem(status, title, problem.message, status === 409 ? { state: complaint.status } : {});
      }
      if (running) {
        // Closed, and completing: the workflow ends once its last writes are done.
        throw new HttpProblem(503, 'Service Unavailable', 'The complaint is completing its closure. Send the same request again shortly.', {}, { 'retry-after': '2' });
      }
      const reopen: ReopenInput = { complaint, reason: body.reason, actor: actorId(principal), at: new Date().toISOString() };
      const args: ComplaintWorkflowArgs = { ...intakeOf(complaint), policy, reopen };
      try {
        await deps.temporal.workflow.start('complaintWorkflow', {
          workflowId: complaintWorkflowId(id),
          taskQueue: deps.taskQueue,
          args: [args],
          // The intake's memo stays (a late retry of the intake still finds its hash).
          memo: { ...description?.memo, ...(reopenKey ? { reopenKey } : {}) },
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        // The same keyed request, sent twice at once: the one that started the run is the answer.
        const winner = await handle.describe();
        if (reopenKey && winner.memo?.reopenKey === reopenKey) return { body: shownTo(principal, await handle.query(getComplaintQuery)) };
        throw new HttpProblem(409, 'Conflict', 'The complaint was reopened a moment ago.', { state: 'investigating' });
      }
      // The new run's first state is this same pure function of its input.
      return { body: shownTo(principal, reopenCase(reopen, policy).state.complaint) };
    },
  );
}

/** The intake part of the workflow's input, from the case as it closed. */
function intakeOf(c: Complaint): Omit<ComplaintWorkflowInput, 'policy'> {
  return {
    id: c.id,
    receivedAt: c.createdAt,
    actor: c.timeline[0]?.actor ?? `consumer:${c.customerId}`,
    intake: {
      customerId: c.customerId, orderId: c.orderId, productName: c.productName, description: c.description, contact: c.contact,
      channel: c.channel, category: c.category, severity: c.severity, evidence: c.evidence, locale: c.locale,
    },
  };
}
