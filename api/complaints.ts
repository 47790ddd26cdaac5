import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { ComplaintReadModel } from '../activities/read-model';
import { complaintWorkflowId, initialComplaint, type ComplaintWorkflowInput } from '../domain/complaint';
import { newComplaintSchema, type Complaint } from '../domain/complaint-schema';
import { getComplaintQuery } from '../workflows/messages';
import { actorOf, allow, type Principal } from './auth';
import { HttpProblem, zodProblem } from './problem';

export interface ComplaintRoutesDeps {
  temporal: Client;
  taskQueue: string;
  readModel: ComplaintReadModel;
}

const notFound = (id: string) => new HttpProblem(404, 'Not Found', `No complaint ${id}.`);

/** A consumer sees only their own complaints; anyone else's is "not found" to them. */
function visibleTo(principal: Principal, complaint: Complaint): boolean {
  return principal.role !== 'consumer' || complaint.customerId === principal.sub;
}

export function complaintRoutes(deps: ComplaintRoutesDeps): Router {
  const router = Router();

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
    };
    await deps.temporal.workflow.start('complaintWorkflow', {
      workflowId: complaintWorkflowId(input.id),
      taskQueue: deps.taskQueue,
      args: [input],
    });
    // The workflow's first state is this same pure function of its input.
    res.status(201).location(`/api/v1/complaints/${input.id}`).json(initialComplaint(input));
  });

  router.get('/complaints/:id', allow('consumer', 'agent', 'department', 'supervisor', 'ops'), async (req, res) => {
    const id = String(req.params.id);
    const complaint = await currentComplaint(deps, id);
    if (!complaint || !visibleTo(req.principal!, complaint)) throw notFound(id);
    res.json(complaint);
  });

  return router;
}

/** The workflow's own state when it is there; the read model's copy once it is gone. */
async function currentComplaint(deps: ComplaintRoutesDeps, id: string): Promise<Complaint | null> {
  try {
    return await deps.temporal.workflow.getHandle(complaintWorkflowId(id)).query(getComplaintQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return deps.readModel.get(id);
    throw err;
  }
}
