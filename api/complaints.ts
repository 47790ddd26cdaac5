import {
  WorkflowNotFoundError, WorkflowUpdateFailedError, type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { NotificationOutbox } from '../activities/outbox';
import type { ComplaintReadModel } from '../activities/read-model';
import { complaintWorkflowId, type ComplaintWorkflowInput } from '../domain/complaint';
import {
  actionInputSchemas, newComplaintSchema, type ActionType, type Complaint, type Role,
} from '../domain/complaint-schema';
import { openCase } from '../domain/lifecycle';
import type { SlaPolicySource } from '../runtime/sla-policy-file';
import { actionUpdates, getComplaintQuery, rejectionFailureType, type ActionUpdate } from '../workflows/messages';
import { actorOf, allow, type Principal } from './auth';
import { HttpProblem, zodProblem } from './problem';

export interface ComplaintRoutesDeps {
  temporal: Client;
  taskQueue: string;
  readModel: ComplaintReadModel;
  outbox: NotificationOutbox;
  slaPolicy: SlaPolicySource;
}

const staff: Role[] = ['agent', 'department', 'supervisor', 'ops'];

/** The action endpoints of api-v1.md: path, who may call it, and the workflow update it sends. */
export const actionRoutes: ReadonlyArray<{ path: string; action: ActionType; roles: Role[] }> = [
  { path: 'acknowledge', action: 'acknowledge', roles: ['agent'] },
  { path: 'departments', action: 'addDepartments', roles: ['agent'] },
  { path: 'findings', action: 'submitFindings', roles: ['department', 'agent'] },
  { path: 'plan', action: 'proposePlan', roles: ['agent'] },
  { path: 'feedback', action: 'giveFeedback', roles: ['consumer'] },
  { path: 'fulfilment', action: 'completeFulfilment', roles: ['agent', 'department'] },
  { path: 'satisfaction', action: 'rateSatisfaction', roles: ['consumer'] },
  { path: 'escalate', action: 'escalate', roles: ['supervisor'] },
  { path: 'withdraw', action: 'withdraw', roles: ['consumer'] },
];

const notFound = (id: string) => new HttpProblem(404, 'Not Found', `No complaint ${id}.`);
const problemForFailure: Record<string, [number, string]> = {
  [rejectionFailureType.invalid_state]: [409, 'Conflict'],
  [rejectionFailureType.not_found]: [404, 'Not Found'],
  [rejectionFailureType.forbidden]: [403, 'Forbidden'],
};

/** A consumer sees only their own complaints; anyone else's is "not found" to them. */
function visibleTo(principal: Principal, complaint: Complaint): boolean {
  return principal.role !== 'consumer' || complaint.customerId === principal.sub;
}

export function complaintRoutes(deps: ComplaintRoutesDeps): Router {
  const router = Router();
  const handle = (id: string) => deps.temporal.workflow.getHandle(complaintWorkflowId(id));

  router.post('/complaints', allow('consumer', 'agent'), async (req, res) => {
    const principal = req.principal!;
    const parsed = newComplaintSchema.safeParse(req.body);
    if (!parsed.success) throw zodProblem(parsed.error);
    const { customerId, allowDuplicate: _allowDuplicate, ...intake } = parsed.data;
    if (principal.role === 'consumer' && customerId !== undefined && customerId !== principal.sub) {
      throw new HttpProblem(400, 'Bad Request', 'Only agents set customerId.', {
        errors: [{ path: 'customerId', message: 'only agents set customerId' }],
      });
    }
    if (principal.role === 'agent' && customerId === undefined) {
      throw new HttpProblem(400, 'Bad Request', 'An agent must say whose complaint this is.', {
        errors: [{ path: 'customerId', message: 'required when an agent opens a complaint' }],
      });
    }
    const input: ComplaintWorkflowInput = {
      id: randomUUID(),
      intake: { ...intake, customerId: customerId ?? principal.sub },
      receivedAt: new Date().toISOString(),
      actor: actorOf(principal),
      policy: deps.slaPolicy.forSeverity(intake.severity),
    };
    await deps.temporal.workflow.start('complaintWorkflow', {
      workflowId: complaintWorkflowId(input.id),
      taskQueue: deps.taskQueue,
      args: [input],
    });
    // The workflow's first state is this same pure function of its input.
    res.status(201).location(`/api/v1/complaints/${input.id}`).json(openCase(input).state.complaint);
  });

  router.get('/complaints/:id', allow('consumer', ...staff), async (req, res) => {
    const id = String(req.params.id);
    const isStaff = req.principal!.role !== 'consumer';
    const [complaint, waitingOn] = await Promise.all([
      currentComplaint(deps, id),
      isStaff ? pendingWork(deps, id) : Promise.resolve(undefined),
    ]);
    if (!complaint || !visibleTo(req.principal!, complaint)) throw notFound(id);
    // Staff see what the case is waiting for: handler calls being retried, with their attempts.
    res.json(waitingOn ? { ...complaint, waitingOn } : complaint);
  });

  router.get('/complaints/:id/notifications', allow('agent', 'supervisor', 'ops'), async (req, res) => {
    const id = String(req.params.id);
    const [complaint, rows] = await Promise.all([deps.readModel.get(id), deps.outbox.list(id)]);
    if (!complaint && rows.length === 0) throw notFound(id);
    res.json({
      items: rows.map((n) => ({
        id: n._id, event: n.event, recipient: n.recipient, channel: n.channel, locale: n.locale, status: n.status,
        attempts: n.attempts, ...(n.to ? { to: n.to } : {}), ...(n.lastError ? { lastError: n.lastError } : {}),
        createdAt: n.createdAt.toISOString(), ...(n.sentAt ? { sentAt: n.sentAt.toISOString() } : {}),
      })),
    });
  });

  for (const route of actionRoutes) {
    router.post(`/complaints/:id/${route.path}`, allow(...route.roles), async (req: Request, res) => {
      const id = String(req.params.id);
      const parsed = actionInputSchemas[route.action].safeParse(req.body ?? {});
      if (!parsed.success) throw zodProblem(parsed.error);
      try {
        const update = actionUpdates[route.action] as ActionUpdate<ActionType>;
        const complaint = await handle(id).executeUpdate(update, {
          args: [{ actor: req.principal!, input: parsed.data }],
        });
        res.json(complaint);
      } catch (err) {
        throw await updateProblem(deps, id, req.principal!, err);
      }
    });
  }

  return router;
}

/** Turns a refused update into the contract's answer: 409 naming the state, 404, 403. */
async function updateProblem(deps: ComplaintRoutesDeps, id: string, principal: Principal, err: unknown): Promise<unknown> {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const [status, title] = problemForFailure[err.cause.type ?? ''] ?? [];
    if (status) return new HttpProblem(status, title!, err.cause.message, stateOf(err.cause));
  }
  if (err instanceof WorkflowNotFoundError || isCompletedWorkflowError(err)) {
    // The workflow has finished (closed or withdrawn) or never existed.
    const complaint = await deps.readModel.get(id);
    if (!complaint || !visibleTo(principal, complaint)) return notFound(id);
    return new HttpProblem(409, 'Conflict', `The complaint is ${complaint.status}; it takes no more actions.`, {
      state: complaint.status,
    });
  }
  return err;
}

const stateOf = (failure: ApplicationFailure): Record<string, unknown> => {
  const details = failure.details?.[0] as { status?: string } | undefined;
  return details?.status ? { state: details.status } : {};
};

const isCompletedWorkflowError = (err: unknown): boolean =>
  err instanceof Error && /workflow execution already completed/i.test(`${err.message} ${(err.cause as Error | undefined)?.message ?? ''}`);

/** Activities the workflow is waiting on (describe): attempts, last failure, next retry. */
async function pendingWork(deps: ComplaintRoutesDeps, id: string) {
  try {
    const description = await deps.temporal.workflow.getHandle(complaintWorkflowId(id)).describe();
    return (description.raw.pendingActivities ?? []).map((a) => ({
      activity: a.activityType?.name ?? 'unknown',
      request: a.activityId ?? undefined,
      attempt: a.attempt ?? 1,
      // PendingActivityState: 1 scheduled (or waiting to retry), 2 started.
      state: a.state === 2 ? 'running' : (a.attempt ?? 1) > 1 ? 'retrying' : 'scheduled',
      ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
      ...(a.nextAttemptScheduleTime ? { nextAttemptAt: tsToIso(a.nextAttemptScheduleTime) } : {}),
    }));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return [];
    throw err;
  }
}

const tsToIso = (ts: { seconds?: unknown; nanos?: number | null }): string =>
  new Date(Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();

/** The workflow's own state when it is there; the read model's copy once it is gone. */
async function currentComplaint(deps: ComplaintRoutesDeps, id: string): Promise<Complaint | null> {
  try {
    return await deps.temporal.workflow.getHandle(complaintWorkflowId(id)).query(getComplaintQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return deps.readModel.get(id);
    throw err;
  }
}
