import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { NotificationOutbox } from '../activities/outbox';
import { BadCursorError, type ComplaintReadModel } from '../activities/read-model';
import { hasEnded } from '../domain/vocabulary';
import { complaintWorkflowId, type ComplaintWorkflowInput } from '../domain/complaint';
import {
  availableActionSchema, categories, clockSchema, complaintSchema, departments, requestSchemas, severities, statuses,
  type ActionType, type Complaint, type Role,
} from '../domain/complaint-schema';
import { actionRoles, caseActions } from '../domain/case-actions';
import { clocksOf, slaOf } from '../domain/case-clocks';
import type { LinkPolicy } from '../domain/evidence-links';
import { withWholeTimeline as whole } from '../domain/timeline-window';
import { viewFor } from '../domain/case-views';
import { awaitingFindingsFrom, forbiddenAction, openCase, type Action } from '../domain/lifecycle';
import { pendingActivitiesOf } from '../runtime/pending-work';
import type { SlaPolicySource } from '../runtime/sla-policy-file';
import { executeUpdateOnce, UpdateNotReadyError } from '../runtime/workflow-updates';
import { CaseErasedError } from '../personal-data/case-key-codec';
import { actionUpdates, getComplaintQuery, rejectionFailureType, type ActionUpdate } from '../workflows/messages';
import { actorOf, type Principal } from './auth';
import { listBadgeSchema, listPageSchema, listPageText } from './complaint-list';
import { HttpProblem } from './problem';
import type { ApiBuilder } from './route';

export interface ComplaintRoutesDeps {
  temporal: Client;
  taskQueue: string;
  readModel: ComplaintReadModel;
  outbox: NotificationOutbox;
  slaPolicy: SlaPolicySource;
  /** Which evidence links requests may carry (plain http outside production only). */
  linkPolicy?: LinkPolicy;
  /** The Temporal Web UI, when there is one (`url` may be a path of this service): ops get a link to each case's workflow. */
  temporalUi?: { url: string; namespace: string };
  /** Makes a new case's own key (personal-data/case-keys.ts) before anything of it is encrypted. */
  caseKeys: CaseKeyProvisioning;
}

export interface CaseKeyProvisioning {
  provision(caseId: string): Promise<unknown>;
}

const staff: Role[] = ['agent', 'department', 'supervisor', 'ops'];

/** The action endpoints of api-v1.md: path, who may call it, and the workflow update it sends. */
const actionRoute = (path: string, action: ActionType, summary: string) => ({ path, action, roles: [...actionRoles[action]], summary });
export const actionRoutes: ReadonlyArray<{ path: string; action: ActionType; roles: Role[]; summary: string }> = [
  actionRoute('acknowledge', 'acknowledge', 'Acknowledge a complaint; the investigation starts'),
  actionRoute('departments', 'addDepartments', 'Add departments to the investigation'),
  actionRoute('findings', 'submitFindings', 'Submit a department\'s findings'),
  actionRoute('plan', 'proposePlan', 'Propose a resolution plan'),
  actionRoute('feedback', 'giveFeedback', 'Accept or reject the plan'),
  actionRoute('fulfilment', 'completeFulfilment', 'Confirm the remedy was carried out'),
  actionRoute('satisfaction', 'rateSatisfaction', 'Rate the handling (1-5); closes the case'),
  actionRoute('escalate', 'escalate', 'Escalate by hand'),
  actionRoute('withdraw', 'withdraw', 'Withdraw the complaint'),
  actionRoute('information-request', 'requestInformation', 'Ask the consumer for information; the stage\'s clock pauses until they answer'),
  actionRoute('information', 'provideInformation', 'Answer the open question; the case resumes with the time it had left'),
];

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
export const listQuerySchema = z
  .object({
    status: z.enum(statuses).optional(),
    category: z.enum(categories).optional(),
    severity: z.enum(severities).optional(),
    breached: booleanParam.optional(),
    escalated: booleanParam.optional(),
    customerId: z.string().max(64).optional().describe('Staff only: a consumer lists their own cases without it (403 with another\'s).'),
    department: z.enum(departments).optional().describe('Cases the department works on (a department caller: always its own; 403 with another).'),
    awaitingFindings: booleanParam.optional().describe('Cases whose investigation waits on findings (of `department`, when given).'),
    atRisk: z.literal('true').transform(() => true).optional()
      .describe('Cases with an open clock past its warning time and none past due (the "at risk" SLA badge).'),
    sort: z.enum(['newest', 'nextDeadline']).default('newest')
      .describe('`newest` first, or `nextDeadline`: the open clock due soonest first (overdue ones first), only cases with one.'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .max(300)
      .optional()
      .describe('Opaque: the `nextCursor` of the previous page, with the same filters. Any other value is 400.'),
  })
  .strict();

/** What the screens show without a rule of their own: the clocks, the badge, the caller's actions. */
const caseViewExtras = {
  clocks: z.array(clockSchema).describe('Every stage clock started so far, at the time of the answer (domain/case-clocks.ts).'),
  sla: listBadgeSchema.shape.sla,
  timeZone: listBadgeSchema.shape.timeZone,
};
export const complaintViewSchema = complaintSchema.extend({
  ...caseViewExtras,
  actions: z.array(availableActionSchema).describe('What the caller may do now, by the rules the workflow applies (domain/case-actions.ts).'),
  awaitingFindingsFrom: z.array(z.enum(departments)).describe('Departments the investigation in progress still waits on (this round: after a reopen, earlier findings do not count).'),
  workflowUrl: z.string().optional().describe('Ops: the case\'s workflow in the Temporal Web UI.'),
});
const waitingOnSchema = z.array(
  z.object({
    activity: z.string(), request: z.string().optional(), attempt: z.number().int(), state: z.string(),
    lastFailure: z.string().optional(), nextAttemptAt: z.string().optional(),
  }),
);
const notificationSchema = z.object({
  id: z.string(), event: z.string(), recipient: z.string(), channel: z.string(), locale: z.string(), status: z.string(),
  attempts: z.number().int(), to: z.string().optional(), lastError: z.string().optional(), createdAt: z.string(), sentAt: z.string().optional(),
});
/** 1-128 visible ASCII characters; the router validates it from this schema, which the document shows. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, '1-128 visible ASCII characters');
export const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });

/** One answer for an unknown case and for a case the caller may not see: nothing tells them apart. */
export const notFound = () => new HttpProblem(404, 'Not Found', 'No such complaint.');
const problemForFailure: Record<string, [number, string]> = {
  [rejectionFailureType.invalid_state]: [409, 'Conflict'],
  [rejectionFailureType.not_found]: [404, 'Not Found'],
  [rejectionFailureType.forbidden]: [403, 'Forbidden'],
};

/** The complaint as the principal may see it (domain/case-views.ts); a case they may not see is 404. */
export const shownTo = (principal: Principal, complaint: Complaint | null): Complaint => {
  const view = complaint && viewFor(principal, complaint);
  if (!view) throw notFound();
  return view;
};

export function complaintRoutes(api: ApiBuilder, deps: ComplaintRoutesDeps): void {
  const handle = (id: string) => deps.temporal.workflow.getHandle(complaintWorkflowId(id));
  const recent = new RecentIntakes();
  const schemas = requestSchemas(deps.linkPolicy ?? 'development');

  api.add(
    {
      method: 'post', path: '/complaints', tag: 'complaints', summary: 'Open a complaint', roles: ['consumer', 'agent'],
      body: schemas.newComplaint, headers: idempotencyHeaders, errors: [409, 422],
      response: { status: 201, schema: complaintSchema, description: 'The complaint (200 when an Idempotency-Key repeats a request)' },
    },
    async ({ body, principal, req }) => {
      const { customerId: givenCustomer, allowDuplicate, ...intake } = body;
      if (principal.role === 'consumer' && givenCustomer !== undefined && givenCustomer !== principal.sub) {
        throw new HttpProblem(400, 'Bad Request', 'Only agents set customerId.', { errors: [{ path: 'customerId', message: 'only agents set customerId' }] });
      }
      if (principal.role === 'agent' && givenCustomer === undefined) {
        throw new HttpProblem(400, 'Bad Request', 'An agent must say whose complaint this is.', {
          errors: [{ path: 'customerId', message: 'required when an agent opens a complaint' }],
        });
      }
      const customerId = givenCustomer ?? principal.sub;
      const key = idempotencyKey(req.header('idempotency-key'));
      const intakeHash = sha256(JSON.stringify({ ...intake, customerId, allowDuplicate }));
      // With a key the id is derived from it: every retry of the request names the same workflow.
      const id = key ? uuidFrom(sha256(`${principal.role}:${principal.sub}:${key}`)) : randomUUID();

      return recent.serialise(`${customerId}:${intake.orderId}`, async () => {
        if (!allowDuplicate) {
          const existing = await openComplaintFor(deps, recent, customerId, intake.orderId);
          if (existing && existing !== id) {
            throw new HttpProblem(409, 'Conflict', 'This customer already has an open complaint for this order.', { existingId: existing });
          }
        }
        const input: ComplaintWorkflowInput = {
          id,
          intake: { ...intake, customerId },
          receivedAt: new Date().toISOString(),
          actor: actorOf(principal),
          policy: deps.slaPolicy.forSeverity(intake.severity),
        };
        try {
          await deps.caseKeys.provision(id);
          await deps.temporal.workflow.start('complaintWorkflow', {
            workflowId: complaintWorkflowId(id),
            taskQueue: deps.taskQueue,
            args: [input],
            memo: { intakeHash },
            // A finished case keeps its id: a late retry must not open it again.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          });
        } catch (err) {
          if (!(key && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          const description = await handle(id).describe();
          if (description.memo?.intakeHash !== intakeHash) {
            throw new HttpProblem(422, 'Unprocessable Entity', 'This Idempotency-Key was used with a different body.');
          }
          const complaint = await currentComplaint(deps, id);
          return { status: 200, body: shownTo(principal, complaint), headers: { location: `/api/v1/complaints/${id}` } };
        }
        recent.remember(`${customerId}:${intake.orderId}`, id);
        // The workflow's first state is this same pure function of its input.
        return { status: 201, body: shownTo(principal, openCase(input).state.complaint), headers: { location: `/api/v1/complaints/${id}` } };
      });
    },
  );

  api.add(
    {
      method: 'get', path: '/complaints', tag: 'complaints', summary: 'List complaints, newest or soonest deadline first (read model)',
      roles: ['consumer', ...staff], query: listQuerySchema,
      response: {
        status: 200,
        description: 'A page of complaints (without their timelines), each with its SLA badge. A consumer gets their own cases, a department the cases it works on, each as their role sees it.',
        schema: listPageSchema,
      },
    },
    async ({ query, principal }) => {
      const { limit, cursor, sort, atRisk, ...filter } = query;
      const now = new Date();
      try {
        const page = await deps.readModel.list({ ...filter, ...scopeOf(principal, filter), ...(atRisk ? { atRiskAt: now } : {}) }, limit, cursor, sort);
        return { body: listPageText(principal, page, now, deps.slaPolicy.file.timezone), contentType: 'application/json' };
      } catch (err) {
        if (err instanceof BadCursorError) {
          throw new HttpProblem(400, 'Bad Request', err.message, { errors: [{ path: 'cursor', message: err.message }] });
        }
        throw err;
      }
    },
  );

  api.add(
    {
      method: 'get', path: '/complaints/{id}', tag: 'complaints', summary: 'A complaint as it stands (from its workflow)',
      roles: ['consumer', ...staff], errors: [404],
      response: {
        status: 200, schema: complaintViewSchema.extend({ waitingOn: waitingOnSchema.optional() }),
        description: 'The complaint as the caller\'s role sees it (docs/api.md, roles: a consumer without staff ids, `assignee`, internal notes and reasons; a department with the contact masked), with its clocks, SLA badge and the actions the caller may take now; staff also see `waitingOn`',
      },
    },
    async ({ params, principal }) => {
      const isStaff = principal.role !== 'consumer';
      const [complaint, waitingOn] = await Promise.all([
        caseFor(deps, principal, params.id!),
        isStaff ? pendingWork(deps, params.id!) : Promise.resolve(undefined),
      ]);
      const now = new Date();
      const clocks = clocksOf(complaint, now);
      const ui = principal.role === 'ops' ? deps.temporalUi : undefined;
      return {
        body: {
          ...complaint,
          clocks,
          sla: slaOf(clocks, now, complaint.status === 'awaiting_consumer'),
          timeZone: deps.slaPolicy.file.timezone,
          actions: caseActions(complaint, principal, now, deps.slaPolicy.forSeverity(complaint.severity)),
          awaitingFindingsFrom: awaitingFindingsFrom(complaint),
          ...(ui ? { workflowUrl: `${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(complaintWorkflowId(complaint.id))}` } : {}),
          // Staff see what the case is waiting for: handler calls being retried, with their attempts.
          ...(waitingOn ? { waitingOn } : {}),
        },
      };
    },
  );

  api.add(
    {
      method: 'get', path: '/complaints/{id}/notifications', tag: 'complaints', summary: 'The messages of a complaint',
      roles: ['agent', 'supervisor', 'ops'], errors: [404],
      response: { status: 200, description: 'Messages, oldest first, recipients masked', schema: z.object({ items: z.array(notificationSchema) }) },
    },
    async ({ params }) => {
      const [complaint, rows] = await Promise.all([deps.readModel.get(params.id!), deps.outbox.list(params.id!)]);
      // A case opened a moment ago may be in neither yet: only its workflow can say it is unknown.
      if (!complaint && rows.length === 0 && !(await workflowExists(deps, params.id!))) throw notFound();
      return {
        body: {
          items: rows.map((n) => ({
            id: n._id, event: n.event, recipient: n.recipient, channel: n.channel, locale: n.locale, status: n.status,
            attempts: n.attempts, ...(n.to ? { to: n.to } : {}), ...(n.lastError ? { lastError: n.lastError } : {}),
            createdAt: n.createdAt.toISOString(), ...(n.sentAt ? { sentAt: n.sentAt.toISOString() } : {}),
          })),
        },
      };
    },
  );

  for (const route of actionRoutes) {
    api.add(
      {
        method: 'post', path: `/complaints/{id}/${route.path}`, tag: 'actions', summary: route.summary, roles: route.roles,
        body: schemas.actions[route.action], headers: idempotencyHeaders, errors: [404, 409],
        response: {
          status: 200, schema: complaintSchema,
          description: 'The complaint after the workflow accepted the action (with an Idempotency-Key, a retry gets the first answer)',
        },
      },
      async ({ params, principal, body, req }) => {
        const id = params.id!;
        const forbidden = forbiddenAction({ type: route.action, input: body } as Action, principal);
        if (forbidden) throw new HttpProblem(403, 'Forbidden', forbidden.message);
        // A department acts only on the cases it works on; any other is as unknown to it as to a GET.
        if (principal.role === 'department') await caseFor(deps, principal, id);
        // With a key, the update's id is derived from caller, action, key and body: the server
        // runs an update id once and answers a retry (after a lost answer) with the first outcome.
        const key = idempotencyKey(req.header('idempotency-key'));
        const updateId = key
          ? `${route.action}:${sha256(JSON.stringify([principal.role, principal.sub, key, body]))}`
          : undefined;
        try {
          const update = actionUpdates[route.action] as ActionUpdate<ActionType>;
          const after = await executeUpdateOnce(handle(id), update, [{ actor: principal, input: body }], { updateId });
          return { body: shownTo(principal, after.timelineStart ? await withWholeTimeline(deps, after) : after) };
        } catch (err) {
          throw await updateProblem(deps, id, principal, err);
        }
      },
    );
  }
}

/** Whose cases a caller may list: a consumer their own, a department the ones it works on. */
function scopeOf(principal: Principal, filter: { customerId?: string; department?: string }) {
  if (principal.role === 'consumer') {
    if (filter.customerId !== undefined && filter.customerId !== principal.sub) {
      throw new HttpProblem(403, 'Forbidden', 'A consumer lists their own complaints only (leave out customerId).');
    }
    return { customerId: principal.sub };
  }
  if (principal.role === 'department') {
    if (filter.department !== undefined && filter.department !== principal.department) {
      throw new HttpProblem(403, 'Forbidden', `A ${principal.department} caller lists its own department's cases only.`);
    }
    return { department: principal.department };
  }
  return {};
}

async function openComplaintFor(deps: ComplaintRoutesDeps, recent: RecentIntakes, customerId: string, orderId: string) {
  const stored = await deps.readModel.openFor(customerId, orderId);
  if (stored) return stored;
  const fresh = recent.get(`${customerId}:${orderId}`);
  if (!fresh) return null;
  const doc = await deps.readModel.get(fresh);
  return doc && hasEnded(doc.status) ? null : fresh;
}

/** Turns a refused update into the contract's answer: 409 naming the state, 404, 403. */
async function updateProblem(deps: ComplaintRoutesDeps, id: string, principal: Principal, err: unknown): Promise<unknown> {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const [status, title] = problemForFailure[err.cause.type ?? ''] ?? [];
    // The workflow's own 404 carries its message and state: answer exactly as for an unknown id.
    if (status === 404) return notFound();
    // Only a refusal by state names the state (a 403 comes before the state is looked at).
    if (status) return new HttpProblem(status, title!, err.cause.message, status === 409 ? stateOf(err.cause) : {});
  }
  if (err instanceof UpdateNotReadyError) {
    // Nothing was applied; the same request (same Idempotency-Key) is safe to send again.
    return new HttpProblem(503, 'Service Unavailable', `${err.message} Send the same request again shortly.`, {}, { 'retry-after': '5' });
  }
  // An erased case: nothing is encrypted for it any more (its key is gone); it has ended.
  if (err instanceof WorkflowNotFoundError || isCompletedWorkflowError(err) || err instanceof CaseErasedError) {
    // The workflow has finished (closed or withdrawn) or never existed.
    const complaint = await deps.readModel.get(id);
    if (!complaint || !viewFor(principal, complaint)) return notFound();
    return new HttpProblem(409, 'Conflict', `The complaint is ${complaint.status}; it takes no more actions.`, { state: complaint.status });
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
    const pending = await pendingActivitiesOf(description, deps.temporal.options.loadedDataConverter);
    return pending.map(({ activityId, activityType, ...rest }) => ({ activity: activityType, request: activityId, ...rest }));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return [];
    throw err;
  }
}

/**
 * The case as the principal may see it, or the unknown id's 404. When the workflow cannot
 * answer (no worker), a caller the stored copy says may not see the case still gets that 404,
 * not the 5xx an owner would see.
 */
async function caseFor(deps: ComplaintRoutesDeps, principal: Principal, id: string): Promise<Complaint> {
  const complaint = await currentComplaint(deps, id).catch(async (err: unknown) => {
    const stored = await deps.readModel.get(id);
    if (stored && !viewFor(principal, stored)) return null;
    throw err;
  });
  return shownTo(principal, complaint);
}

/** Whether the case's workflow exists (describe needs no worker). */
async function workflowExists(deps: ComplaintRoutesDeps, id: string): Promise<boolean> {
  try {
    await deps.temporal.workflow.getHandle(complaintWorkflowId(id)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** The workflow's own state when it is there; the read model's copy once it is gone. */
/**
 * Cases this process found erased: their history can no longer be read (a query fails in the
 * worker), so their stored copy is read at once. Bounded; forgetting one costs one failed query.
 */
const knownErased = new Set<string>();

async function currentComplaint(deps: ComplaintRoutesDeps, id: string): Promise<Complaint | null> {
  if (knownErased.has(id)) return deps.readModel.get(id);
  try {
    const complaint = await deps.temporal.workflow.getHandle(complaintWorkflowId(id)).query(getComplaintQuery);
    return complaint.timelineStart ? withWholeTimeline(deps, complaint) : complaint;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return deps.readModel.get(id);
    // A finished workflow answers a query only through a worker replaying it. When that fails
    // (no worker at the moment), the read model is exact for a finished case: its workflow
    // wrote the last snapshot before it completed.
    const stored = await deps.readModel.get(id);
    if (stored?.erasedAt) {
      if (knownErased.size >= 10_000) knownErased.clear();
      knownErased.add(id);
    }
    if (stored && hasEnded(stored.status)) return stored;
    throw err;
  }
}

/** A long case's workflow carries a window of its timeline; the read model holds the entries before it. */
const withWholeTimeline = async (deps: ComplaintRoutesDeps, complaint: Complaint): Promise<Complaint> =>
  whole((await deps.readModel.get(complaint.id))?.timeline ?? [], complaint);

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const uuidFrom = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/** The key as the declared header schema admits it (the router has refused any other already). */
function idempotencyKey(header: string | undefined): string | undefined {
  return header === undefined ? undefined : idempotencyKeySchema.parse(header);
}

/**
 * Intakes for the same customer and order in this process run one after another, and a new
 * case is remembered for a minute: the read model may not have it yet when a double-click's
 * second request arrives.
 */
class RecentIntakes {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly created = new Map<string, { id: string; until: number }>();

  async serialise<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.chains.set(key, next);
    try {
      return await next;
    } finally {
      if (this.chains.get(key) === next) this.chains.delete(key);
    }
  }

  get(key: string): string | undefined {
    const entry = this.created.get(key);
    if (entry && entry.until > Date.now()) return entry.id;
    this.created.delete(key);
    return undefined;
  }

  remember(key: string, id: string): void {
    this.created.set(key, { id, until: Date.now() + 60_000 });
    if (this.created.size > 10_000) {
      for (const [k, v] of this.created) if (v.until <= Date.now()) this.created.delete(k);
    }
  }
}
