import type {
  ActionInput, ActionType, Actor, Complaint, ComplaintStatus, Department, HandlerName, HandlerRequest, RequestKind,
  Stage,
} from './complaint-schema';
import { caseLimits } from './case-limits';
import {
  actorId, caseFacts, consumerNotice, escalate, maxEscalationLevel, notice, record, shareOf, startClock, system, warningShare,
  type ActorRef, type CaseState, type Notice, type Recipient, type StageClock,
} from './case-state';
import { departmentsFor, type ComplaintWorkflowInput } from './complaint';
import {
  answerQuestion, applyQuestionTimer, askableIn, askConsumer, cancelOpenQuestion, openQuestion, pausedStagesOf, questionTimers,
  type ConsumerWaitTimer,
} from './consumer-wait';

export { actorId, maxEscalationLevel, warningShare, type CaseState, type Notice, type Recipient, type StageClock };

/**
 * The complaint lifecycle as pure functions over the case state (domain.md §2–§3, the status
 * machine of api-v1.md). The workflow calls them and turns the notices they return into
 * activities; it adds only time and durability. Every function takes `now` explicitly.
 */

export type Action = { [T in ActionType]: { type: T; input: ActionInput<T> } }[ActionType];

export interface Rejection {
  /** invalid_state → 409, not_found → 404, forbidden → 403. */
  kind: 'invalid_state' | 'not_found' | 'forbidden';
  message: string;
}

export type TimerKind = 'warning' | 'breach' | 'reminder' | 'expiry';
export type StageTimer = { kind: TimerKind; stage: Stage; at: string } | ConsumerWaitTimer;

const reminderShare = 0.5;

/** Whether a stage is still unfinished in a status: only then can it warn or breach. */
export const stageOpen: Record<Stage, (status: ComplaintStatus) => boolean> = {
  acknowledge: (s) => s === 'received',
  investigate: (s) => s === 'acknowledged' || s === 'investigating',
  plan: (s) => s === 'planning',
  feedback: (s) => s === 'awaiting_feedback',
  repair: (s) => s === 'fulfilling',
  resolve: (s) => s !== 'resolved' && s !== 'closed' && s !== 'withdrawn',
  revisit: (s) => s === 'resolved',
};

/** Whether a stage's clock runs now: its stage is open and no question to the consumer stopped it. */
export const clockRuns = (complaint: Pick<Complaint, 'status' | 'informationRequests'>, stage: Stage): boolean =>
  // While the case waits on the consumer, a stage the policy does not pause runs as in the status it left.
  stageOpen[stage](openQuestion(complaint)?.resumeStatus ?? complaint.status) && !pausedStagesOf(complaint).includes(stage);

/** Which statuses allow which action (api-v1.md, status moves). */
const allowedIn: Record<ActionType, readonly ComplaintStatus[]> = {
  acknowledge: ['received'],
  addDepartments: ['received', 'acknowledged', 'investigating'],
  // While the consumer is asked during the investigation, departments still answer (the
  // investigation completes once the case resumes).
  submitFindings: ['investigating', 'awaiting_consumer'],
  proposePlan: ['planning'],
  giveFeedback: ['awaiting_feedback'],
  completeFulfilment: ['fulfilling'],
  rateSatisfaction: ['resolved'],
  escalate: ['received', 'acknowledged', 'investigating', 'planning', 'awaiting_feedback', 'fulfilling', 'resolved', 'awaiting_consumer'],
  withdraw: ['received', 'acknowledged', 'investigating', 'planning', 'awaiting_feedback', 'fulfilling', 'awaiting_consumer'],
  requestInformation: Object.keys(askableIn) as ComplaintStatus[],
  provideInformation: ['awaiting_consumer'],
};

const ownerOnly: ReadonlySet<ActionType> = new Set(['giveFeedback', 'rateSatisfaction', 'withdraw', 'provideInformation']);

export const isFinal = (state: CaseState): boolean =>
  state.complaint.status === 'closed' || state.complaint.status === 'withdrawn';

/** The case as it stands the moment it is received, with its first notices. */
export function openCase(input: ComplaintWorkflowInput): { state: CaseState; notices: Notice[] } {
  const { intake, receivedAt, policy } = input;
  const state: CaseState = {
    policy,
    clocks: {},
    complaint: {
      id: input.id,
      customerId: intake.customerId,
      orderId: intake.orderId,
      productName: intake.productName,
      description: intake.description,
      category: intake.category,
      severity: intake.severity,
      channel: intake.channel,
      contact: intake.contact,
      evidence: intake.evidence,
      locale: intake.locale,
      status: 'received',
      escalationLevel: 1,
      departments: departmentsFor(intake.category),
      deadlines: {},
      breaches: [],
      findings: [],
      feedback: [],
      requests: [],
      timeline: [{ at: receivedAt, type: 'received', actor: input.actor, data: { channel: intake.channel } }],
      slaPolicyVersion: policy.version,
      revision: 1,
      createdAt: receivedAt,
      updatedAt: receivedAt,
    },
  };
  startClock(state, 'acknowledge', receivedAt);
  startClock(state, 'resolve', receivedAt);
  const notices: Notice[] = [
    consumerNotice(state, 'received', {
      // The first reply states progress, expected completion and method [002 §2.2.3].
      progress: 'received',
      expectedCompletion: state.complaint.deadlines.resolve,
      acknowledgeBy: state.complaint.deadlines.acknowledge,
      method: 'investigation by the departments concerned, then a resolution plan for you to accept',
    }),
  ];
  if (intake.severity === 'urgent') {
    // Urgent cases (safety, personal or property harm) start the emergency path [002 §3.2].
    record(state, 'emergency_path_started', system, receivedAt, {});
    notices.push({ key: 'emergency', event: 'emergency', recipient: 'supervisor', data: caseFacts(state) });
  }
  return { state, notices };
}

/** What an actor may never do, whatever the state: checked by the API too, before the workflow. */
export function forbiddenAction(action: Action, actor: Actor): Rejection | null {
  if (ownerOnly.has(action.type) && actor.role !== 'consumer') {
    return { kind: 'forbidden', message: 'Only the consumer who opened the complaint may do this.' };
  }
  if (action.type === 'submitFindings' && actor.role === 'department' && actor.department !== action.input.department) {
    return { kind: 'forbidden', message: `A ${actor.department} handler may submit ${actor.department} findings only.` };
  }
  if (action.type === 'completeFulfilment' && actor.role === 'department' && actor.department !== 'logistics') {
    return { kind: 'forbidden', message: 'Only logistics confirms fulfilment among the departments.' };
  }
  return null;
}

/** Why an action may not be applied now, or null when it may. Never changes the state. */
export function rejectAction(state: CaseState, action: Action, actor: Actor): Rejection | null {
  return rejectOn(state.complaint, action, actor);
}

/** `rejectAction` on the complaint alone: what the API asks to list the actions a caller may take. */
export function rejectOn(c: Complaint, action: Action, actor: Actor): Rejection | null {
  if (actor.role === 'consumer' && c.customerId !== actor.sub) {
    return { kind: 'not_found', message: `No complaint ${c.id}.` };
  }
  const forbidden = forbiddenAction(action, actor);
  if (forbidden) return forbidden;
  if (!allowedIn[action.type].includes(c.status)) {
    return { kind: 'invalid_state', message: `Cannot ${describe(action.type)} a complaint in state ${c.status}.` };
  }
  const limited = limitProblem(c, action, actor);
  if (limited) return limited;
  if (action.type === 'completeFulfilment') {
    const refused = fulfilmentProblem(c, actor);
    if (refused) return refused;
  }
  if (action.type === 'escalate') {
    const target = action.input.level ?? c.escalationLevel + 1;
    if (target <= c.escalationLevel || target > maxEscalationLevel) {
      return {
        kind: 'invalid_state',
        message: `Cannot escalate to level ${target}: the complaint is at level ${c.escalationLevel} (highest ${maxEscalationLevel}).`,
      };
    }
  }
  return null;
}

/**
 * Findings come only from departments assigned to the case (a department sees nothing of
 * the others: 404), at most `findingsPerDepartment` each; at most `plans` plans per case.
 */
function limitProblem(c: Complaint, action: Action, actor: Actor): Rejection | null {
  if (action.type === 'submitFindings') {
    const { department } = action.input;
    if (c.status === 'awaiting_consumer' && openQuestion(c)?.resumeStatus !== 'investigating') {
      return { kind: 'invalid_state', message: `Cannot submit findings for a complaint in state ${c.status} after its investigation.` };
    }
    if (!c.departments.includes(department)) {
      return actor.role === 'department'
        ? { kind: 'not_found', message: `No complaint ${c.id}.` }
        : { kind: 'invalid_state', message: `The ${department} department is not assigned to this complaint: add it first (POST …/departments).` };
    }
    const submitted = findingsOfThisRound(c).filter((f) => f.department === department).length;
    if (submitted >= caseLimits.findingsPerDepartment) {
      return { kind: 'invalid_state', message: `The ${department} department has submitted findings ${submitted} times, the most a case takes (${caseLimits.findingsPerDepartment}).` };
    }
  }
  if (action.type === 'requestInformation') {
    if (actor.role === 'department' && (!actor.department || !c.departments.includes(actor.department))) {
      return { kind: 'not_found', message: `No complaint ${c.id}.` };
    }
    if ((c.informationRequests?.length ?? 0) >= caseLimits.informationRequests) {
      return { kind: 'invalid_state', message: `The consumer has been asked ${caseLimits.informationRequests} times, the most a case takes: decide with what the case has.` };
    }
  }
  if (action.type === 'proposePlan' && (c.plan?.version ?? 0) >= caseLimits.plans) {
    return {
      kind: 'invalid_state',
      message: `The complaint has had ${caseLimits.plans} plans, the most a case takes: escalate it to the special team, or the consumer may withdraw.`,
    };
  }
  return null;
}

/**
 * Who may confirm a remedy by hand. A department only a remedy that is its own (logistics:
 * pickup and delivery), never a payment; nobody while a payment call is in flight, because
 * that call may still pay: its answer completes the case, one payment per plan version.
 */
function fulfilmentProblem(c: Complaint, actor: Actor): Rejection | null {
  const remedies = c.requests.filter((r) => r.kind !== 'investigation' && r.planVersion === c.plan?.version);
  if (actor.role === 'department' && (remedies.length === 0 || remedies.some((r) => r.handler !== actor.department))) {
    const owners = [...new Set(remedies.map((r) => r.handler))];
    return {
      kind: 'forbidden',
      message: owners.length
        ? `This remedy is carried out by ${owners.join(', ')}: only they confirm it.`
        : 'This remedy has no part for your department: an agent confirms it.',
    };
  }
  const payment = remedies.find((r) => r.handler === 'payments' && r.status === 'pending');
  if (payment) {
    return {
      kind: 'invalid_state',
      message: `The ${payment.kind} is being paid by the payment service (request ${payment.key}); its answer completes the complaint. Confirming by hand could pay twice.`,
    };
  }
  return null;
}

/** Applies an action that `rejectAction` accepted; returns the notices it causes. */
export function applyAction(state: CaseState, action: Action, actor: Actor, now: string): Notice[] {
  const late: Notice[] = [];
  const finish = (stage: Stage) => late.push(...finishStage(state, stage, now));
  const notices = act(state, action, actor, now, finish);
  return [...late, ...notices];
}

function act(state: CaseState, action: Action, who: Actor, now: string, finish: (stage: Stage) => void): Notice[] {
  const c = state.complaint;
  switch (action.type) {
    case 'acknowledge': {
      finish('acknowledge');
      c.status = 'acknowledged';
      c.assignee = who.sub;
      record(state, 'acknowledged', who, now, action.input.note ? { note: action.input.note } : {});
      c.status = 'investigating';
      record(state, 'investigation_started', system, now, { departments: [...c.departments] });
      startClock(state, 'investigate', now);
      for (const d of c.departments) request(state, d, 'investigation', now);
      return [
        consumerNotice(state, 'acknowledged', {
          progress: 'investigating',
          expectedCompletion: c.deadlines.resolve,
          investigateBy: c.deadlines.investigate,
        }),
      ];
    }
    case 'addDepartments': {
      const added = action.input.add.filter((d) => !c.departments.includes(d));
      if (added.length === 0) return [];
      c.departments.push(...added);
      record(state, 'departments_added', who, now, { added });
      if (c.status === 'investigating') for (const d of added) request(state, d, 'investigation', now);
      return [];
    }
    case 'submitFindings':
      submitFindings(state, action.input, who, now, finish);
      return [];
    case 'proposePlan': {
      finish('plan');
      const version = (c.plan?.version ?? 0) + 1;
      const { remedy, description, amount, currency } = action.input;
      c.plan = { remedy, description, ...(amount !== undefined ? { amount, currency } : {}), version };
      c.status = 'awaiting_feedback';
      record(state, 'plan_proposed', who, now, { version, remedy });
      startClock(state, 'feedback', now);
      return [consumerNotice(state, `plan_proposed:v${version}`, { version, remedy, answerBy: c.deadlines.feedback })];
    }
    case 'giveFeedback': {
      finish('feedback');
      const planVersion = c.plan!.version;
      const { accepted, comment } = action.input;
      c.feedback.push({ accepted, ...(comment ? { comment } : {}), planVersion, at: now });
      if (accepted) {
        c.status = 'fulfilling';
        record(state, 'plan_accepted', who, now, { version: planVersion });
        const remedy = remedyRequests[c.plan!.remedy];
        if (remedy) request(state, remedy.handler, remedy.kind, now, planVersion);
        if (c.plan!.remedy === 'repair') startClock(state, 'repair', now);
        return [];
      }
      c.status = 'planning';
      record(state, 'plan_rejected', who, now, { version: planVersion, ...(comment ? { comment } : {}) });
      // The adjusted plan is due within the plan time from the rejection [001 §4.4].
      startClock(state, 'plan', now);
      return [notice(`plan_rejected:v${planVersion}`, 'plan_rejected', 'assignee', { ...caseFacts(state), version: planVersion })];
    }
    case 'completeFulfilment': {
      // Confirmed by hand: the open remedy requests of this plan are done with it.
      for (const r of c.requests) {
        if (r.planVersion === c.plan?.version && (r.status === 'pending' || r.status === 'accepted')) {
          Object.assign(r, { status: 'done', reference: 'confirmed by hand', at: now });
        }
      }
      return fulfil(state, who, now, finish, action.input.note ? { note: action.input.note } : {});
    }
    case 'rateSatisfaction': {
      const { score, comment } = action.input;
      c.satisfaction = { score, ...(comment ? { comment } : {}), at: now };
      record(state, 'satisfaction_received', who, now, { score });
      return close(state, now, 'answered');
    }
    case 'escalate': {
      const level = action.input.level ?? c.escalationLevel + 1;
      return escalate(state, level, action.input.reason, who, now);
    }
    case 'requestInformation':
      return askConsumer(state, action.input, who, now);
    case 'provideInformation': {
      const notices = answerQuestion(state, action.input, who, now);
      // Findings that came in while the case waited may have completed the investigation.
      if (c.status === 'investigating') completeInvestigationIfAnswered(state, now, finish);
      return notices;
    }
    case 'withdraw': {
      cancelOpenQuestion(state, now);
      c.status = 'withdrawn';
      record(state, 'withdrawn', who, now, action.input.reason ? { reason: action.input.reason } : {});
      return [consumerNotice(state, 'withdrawn', {})];
    }
  }
}

/** Stages still open whose deadline has passed: the case waits on people past its time. */
export function overdueStages(complaint: Pick<Complaint, 'status' | 'deadlines' | 'informationRequests'>, now: Date): Stage[] {
  return (Object.keys(stageOpen) as Stage[]).filter((stage) => {
    const deadline = complaint.deadlines[stage];
    return deadline !== undefined && clockRuns(complaint, stage) && Date.parse(deadline) < now.getTime();
  });
}

/** Every timer the open stages still hold, earliest first. */
export function pendingTimers(state: CaseState): StageTimer[] {
  const timers: StageTimer[] = questionTimers(state);
  for (const [stage, clock] of Object.entries(state.clocks) as [Stage, StageClock][]) {
    if (!clockRuns(state.complaint, stage)) continue;
    if (stage === 'revisit') {
      if (!clock.reminded) timers.push({ kind: 'reminder', stage, at: share(clock, reminderShare) });
      timers.push({ kind: 'expiry', stage, at: clock.deadline });
      continue;
    }
    if (clock.breached) continue;
    if (!clock.warned && stage !== 'feedback') timers.push({ kind: 'warning', stage, at: warningAt(state.complaint, clock, stage) });
    timers.push({ kind: 'breach', stage, at: clock.deadline });
  }
  return timers.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Applies a timer that has come due; returns the notices it causes. */
export function applyTimer(state: CaseState, timer: StageTimer, now: string): Notice[] {
  if (timer.kind === 'information_reminder' || timer.kind === 'information_expiry') {
    const notices = applyQuestionTimer(state, timer, now);
    const late: Notice[] = [];
    if (state.complaint.status === 'investigating') completeInvestigationIfAnswered(state, now, (stage) => late.push(...finishStage(state, stage, now)));
    return [...late, ...notices];
  }
  const clock = state.clocks[timer.stage]!;
  switch (timer.kind) {
    case 'warning': {
      clock.warned = true;
      record(state, 'deadline_warning', system, now, { stage: timer.stage, deadline: clock.deadline });
      return [
        notice(`warning:${timer.stage}:${clock.deadline}`, 'deadline_warning', 'assignee', {
          ...caseFacts(state), stage: timer.stage, deadline: clock.deadline,
        }),
      ];
    }
    case 'breach':
      return breach(state, timer.stage, now);
    case 'reminder': {
      clock.reminded = true;
      record(state, 'satisfaction_reminder_sent', system, now, {});
      return [consumerNotice(state, ofRound(state, 'satisfaction_reminder'), { answerBy: clock.deadline })];
    }
    case 'expiry':
      // The revisit window ended without an answer: closed, and recorded as such.
      return close(state, now, 'no_answer');
  }
}

/** An operator's intervention (reset, retry) noted on the case's timeline. */
export function recordOpsAction(state: CaseState, note: { action: string; reason: string; actor: string; details?: Record<string, unknown> }, now: string): void {
  record(state, `ops_${note.action}`, note.actor, now, { reason: note.reason, ...(note.details ?? {}) });
}

/** How each remedy is carried out: refunds and compensation by payments, goods by logistics. */
const remedyRequests: Partial<Record<string, { handler: HandlerName; kind: RequestKind }>> = {
  refund: { handler: 'payments', kind: 'refund' },
  compensation: { handler: 'payments', kind: 'compensation' },
  return: { handler: 'logistics', kind: 'return' },
  replacement: { handler: 'logistics', kind: 'replacement' },
  repair: { handler: 'logistics', kind: 'repair' },
};

/** A handler's answer to a request (handler activities, or the manual mode's task). */
export type HandlerAnswer =
  | { outcome: 'accepted' }
  | { outcome: 'done'; findings?: { summary: string; responsibleParty: Complaint['findings'][number]['responsibleParty'] }; reference?: string }
  | { outcome: 'failed'; reason: string };

/** Requests waiting to be sent to their handler. */
export const pendingRequests = (state: CaseState): HandlerRequest[] =>
  isFinal(state) ? [] : state.complaint.requests.filter((r) => r.status === 'pending');

/**
 * A request its handler has taken: `accepted` at `at`, once. The workflow applies it to its
 * state, and the record that hands a manual handler its task applies it to the snapshot it
 * writes (decision 026): the same step, so the two agree.
 */
export function acceptRequest(complaint: Complaint, key: string, at: string): void {
  const req = complaint.requests.find((r) => r.key === key);
  if (!req || req.status === 'done' || req.status === 'failed' || req.status === 'accepted') return;
  Object.assign(req, { status: 'accepted', at });
  record({ complaint }, 'handler_accepted', `handler:${req.handler}`, at, { key, kind: req.kind });
}

/** Applies a handler's answer. Idempotent: an answer to a settled request changes nothing. */
export function applyHandlerAnswer(state: CaseState, key: string, answer: HandlerAnswer, now: string): Notice[] {
  const c = state.complaint;
  const req = c.requests.find((r) => r.key === key);
  if (!req || req.status === 'done' || req.status === 'failed') return [];
  const by = `handler:${req.handler}`;
  const late: Notice[] = [];
  const finish = (stage: Stage) => late.push(...finishStage(state, stage, now));
  switch (answer.outcome) {
    case 'accepted':
      acceptRequest(c, key, now);
      return [];
    case 'failed':
      Object.assign(req, { status: 'failed', reason: answer.reason, at: now });
      record(state, 'handler_request_failed', by, now, { key, kind: req.kind, reason: answer.reason });
      return (['assignee', 'supervisor'] as const).map((recipient) =>
        notice(`handler_failed:${key}`, 'handler_failed', recipient, { ...caseFacts(state), key, kind: req.kind, reason: answer.reason }),
      );
    case 'done': {
      Object.assign(req, { status: 'done', at: now, ...(answer.reference ? { reference: answer.reference } : {}) });
      if (req.kind === 'investigation') {
        if (answer.findings && (c.status === 'investigating' || openQuestion(c)?.resumeStatus === 'investigating')) {
          submitFindings(state, { department: req.handler as Department, ...answer.findings }, by, now, finish);
        } else {
          record(state, 'handler_done', by, now, { key, kind: req.kind });
        }
        return late;
      }
      const current = c.status === 'fulfilling' && req.planVersion === c.plan?.version;
      const open = c.requests.some((r) => r.planVersion === c.plan?.version && r.status !== 'done' && r.kind !== 'investigation');
      if (!current || open) {
        record(state, 'handler_done', by, now, { key, kind: req.kind });
        return late;
      }
      return [...late, ...fulfil(state, by, now, finish, { key, kind: req.kind, ...(answer.reference ? { reference: answer.reference } : {}) })];
    }
  }
}

function submitFindings(
  state: CaseState,
  input: ActionInput<'submitFindings'>,
  who: ActorRef,
  now: string,
  finish: (stage: Stage) => void,
): void {
  const c = state.complaint;
  const { department, summary, responsibleParty, evidence } = input;
  // Refused by rejectAction since 2026-12; kept so that histories that took such findings replay.
  if (!c.departments.includes(department)) c.departments.push(department);
  c.findings.push({ department, summary, responsibleParty, ...(evidence?.length ? { evidence } : {}), at: now });
  for (const r of c.requests) {
    if (r.kind === 'investigation' && r.handler === department && r.status !== 'done') Object.assign(r, { status: 'done', at: now });
  }
  record(state, 'findings_submitted', who, now, { department, responsibleParty });
  if (c.status === 'investigating') completeInvestigationIfAnswered(state, now, finish);
}

/**
 * Departments assigned to an investigation in progress that have not answered in this round:
 * the department inboxes. A case waiting on the consumer during its investigation still waits
 * on them (their findings are taken meanwhile).
 */
export function awaitingFindingsFrom(c: Complaint): Department[] {
  const investigating = c.status === 'investigating' || openQuestion(c)?.resumeStatus === 'investigating';
  if (!investigating) return [];
  const answered = new Set(findingsOfThisRound(c).map((f) => f.department));
  return c.departments.filter((d) => !answered.has(d));
}

/** Findings of the current round: a reopened case's investigation starts afresh. */
const findingsOfThisRound = (c: Complaint) => (c.reopenedAt ? c.findings.filter((f) => f.at >= c.reopenedAt!) : c.findings);

/** The investigation ends once every department assigned answered in this round. */
function completeInvestigationIfAnswered(state: CaseState, now: string, finish: (stage: Stage) => void): void {
  const c = state.complaint;
  const answered = new Set(findingsOfThisRound(c).map((f) => f.department));
  // A case with no department yet (service, other) waits for an agent to add one.
  if (c.departments.length > 0 && c.departments.every((d) => answered.has(d))) {
    finish('investigate');
    c.status = 'planning';
    record(state, 'investigation_completed', system, now, { departments: [...c.departments] });
    startClock(state, 'plan', now);
  }
}

function fulfil(state: CaseState, who: ActorRef, now: string, finish: (stage: Stage) => void, data: Record<string, unknown>): Notice[] {
  if (state.clocks.repair) finish('repair');
  finish('resolve');
  record(state, 'fulfilled', who, now, data);
  return resolve(state, now);
}

function request(state: CaseState, handler: HandlerName, kind: RequestKind, at: string, planVersion?: number): void {
  const key = planVersion === undefined ? `${kind}:${handler}` : `${kind}:v${planVersion}`;
  if (state.complaint.requests.some((r) => r.key === key)) return;
  state.complaint.requests.push({ key, handler, kind, status: 'pending', at, ...(planVersion === undefined ? {} : { planVersion }) });
}

/**
 * What a handler is sent: the facts it needs and nothing more — no name, phone or e-mail
 * (domain.md §6). Logistics finds the address through the order.
 */
export function handlerMessage(state: CaseState, key: string) {
  const c = state.complaint;
  const req = c.requests.find((r) => r.key === key)!;
  const plan = req.planVersion !== undefined && c.plan?.version === req.planVersion ? c.plan : undefined;
  return {
    requestId: `${c.id}:${key}`,
    complaintId: c.id,
    handler: req.handler,
    kind: req.kind,
    case: {
      orderId: c.orderId, productName: c.productName, description: c.description,
      category: c.category, severity: c.severity, evidence: c.evidence,
    },
    ...(plan ? { plan: { remedy: plan.remedy, amount: plan.amount, currency: plan.currency, description: plan.description, version: plan.version } } : {}),
    respondBy: req.kind === 'investigation' ? c.deadlines.investigate : (c.deadlines.repair ?? c.deadlines.resolve),
  };
}
export type HandlerMessage = ReturnType<typeof handlerMessage>;

function resolve(state: CaseState, now: string): Notice[] {
  state.complaint.status = 'resolved';
  record(state, 'resolved', system, now, {});
  startClock(state, 'revisit', now);
  return [
    consumerNotice(state, ofRound(state, 'resolved'), { progress: 'resolved' }),
    consumerNotice(state, ofRound(state, 'satisfaction_request'), { answerBy: state.complaint.deadlines.revisit, scale: '1-5' }),
  ];
}

function close(state: CaseState, now: string, outcome: 'answered' | 'no_answer'): Notice[] {
  state.complaint.status = 'closed';
  record(state, 'closed', system, now, {
    revisit: outcome,
    ...(outcome === 'no_answer' ? { reason: 'the revisit window ended without an answer' } : {}),
  });
  return [consumerNotice(state, ofRound(state, 'closed'), { revisit: outcome })];
}

/** A missed deadline: recorded, escalated one level, the supervisor told; the case goes on. */
function breach(state: CaseState, stage: Stage, now: string): Notice[] {
  const c = state.complaint;
  const clock = state.clocks[stage]!;
  clock.breached = true;
  c.breaches.push({ stage, deadline: clock.deadline, at: now });
  const reason =
    stage === 'feedback'
      ? `the consumer did not answer plan v${c.plan?.version} by ${clock.deadline}`
      : `the ${stage} deadline ${clock.deadline} was missed`;
  record(state, stage === 'feedback' ? 'feedback_window_expired' : 'deadline_breached', system, now, {
    stage, deadline: clock.deadline, reason,
  });
  const notices: Notice[] = [
    notice(`breach:${stage}:${clock.deadline}`, 'deadline_breached', 'supervisor', {
      ...caseFacts(state), stage, deadline: clock.deadline, reason,
    }),
  ];
  if (c.escalationLevel < maxEscalationLevel) {
    notices.push(...escalate(state, c.escalationLevel + 1, reason, system, now));
  }
  return notices;
}


/** A stage finished: a finish after its deadline that no timer caught yet is still a breach. */
function finishStage(state: CaseState, stage: Stage, now: string): Notice[] {
  const clock = state.clocks[stage];
  if (!clock || clock.breached || Date.parse(now) <= Date.parse(clock.deadline)) return [];
  return breach(state, stage, now);
}



/** When a clock warns: at its share of the stage's time, or where a pause moved it (consumer-wait). */
const warningAt = (c: Complaint, clock: StageClock, stage: Stage): string => c.warningsAt?.[stage] ?? share(clock, warningShare);

/** A notice key a reopened case sends again: one per round (a key is sent once per case). */
const ofRound = (state: CaseState, key: string): string => (state.complaint.reopenCount ? `${key}:r${state.complaint.reopenCount}` : key);

const share = (clock: StageClock, fraction: number): string => shareOf(clock.startedAt, clock.deadline, fraction);

const describe = (type: ActionType): string =>
  ({
    acknowledge: 'acknowledge',
    addDepartments: 'add departments to',
    submitFindings: 'submit findings for',
    proposePlan: 'propose a plan for',
    giveFeedback: 'give feedback on',
    completeFulfilment: 'complete fulfilment of',
    rateSatisfaction: 'rate',
    escalate: 'escalate',
    withdraw: 'withdraw',
    requestInformation: 'ask the consumer about',
    provideInformation: 'answer a question on',
  })[type];
