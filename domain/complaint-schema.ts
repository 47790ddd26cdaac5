import { z } from 'zod';
import { caseLimits } from './case-limits';
import { evidenceLinkSchema, type LinkPolicy } from './evidence-links';
import { categories, channels, departments, handlers, locales, remedies, requestKinds, requestStatuses, responsibleParties, roles, severities, stages, statuses } from './vocabulary';

/**
 * The one schema source of the complaint resource (api-v1.md). Request validation, the
 * TypeScript types and the OpenAPI document all come from here.
 */
export * from './vocabulary';

/**
 * A character `String.prototype.trim()` keeps. Texts are trimmed; one that trims to nothing is
 * refused, and the pattern says so in the OpenAPI document too.
 */
export const keptCharacter = '[^\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';
const text = (max: number) => z.string().trim().regex(new RegExp(keptCharacter), 'must not be blank').max(max);
const isoTime = z.iso.datetime({ offset: true });

/** How a consumer can be reached: at least one of these (the refine, and `anyOf` in the document). */
const reachableBy = ['phone', 'email'] as const;

/**
 * Every rule here is one the OpenAPI document states: the phone and e-mail checks are regexes
 * (so they become `pattern`; a phone is not trimmed, a trimmed one could be shorter than its
 * pattern promised), and "phone or e-mail" is an `anyOf` of the two `required`s.
 */
export const contactSchema = z
  .object({
    name: text(100),
    phone: z.string().regex(/^\+?[0-9][0-9 -]{4,18}[0-9]$/, 'a phone number of 6-20 digits').optional(),
    email: z.email().regex(z.regexes.email, 'an e-mail address').max(254).optional(),
  })
  .strict()
  .refine((c) => reachableBy.some((way) => c[way] !== undefined), {
    message: 'a phone number or an e-mail address is required',
    path: ['phone'],
  })
  .meta({ anyOf: reachableBy.map((way) => ({ required: [way] })) });

/** Evidence links of a request: a few, each a web address (domain/evidence-links.ts). */
const evidenceLinks = (policy: LinkPolicy, max: number) => z.array(evidenceLinkSchema(policy)).max(max);

const newComplaintSchemaFor = (policy: LinkPolicy) => z
  .object({
    orderId: text(64),
    productName: text(200),
    description: text(5000),
    contact: contactSchema,
    channel: z.enum(channels),
    category: z.enum(categories).default('other'),
    severity: z.enum(severities).default('general'),
    evidence: evidenceLinks(policy, caseLimits.evidenceAtIntake).default([]),
    locale: z.enum(locales).default('zh-CN'),
    /** Only agents set it (phone and e-mail complaints); a consumer's own id otherwise. */
    customerId: text(64).optional(),
    allowDuplicate: z.boolean().default(false),
  })
  .strict();
export const newComplaintSchema = newComplaintSchemaFor('development');

export const timelineEventSchema = z.object({
  at: isoTime,
  type: z.string(),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Work the case asked a handler to do: a department's investigation or a remedy. `pending`
 * until the handler takes it, `accepted` while its answer is awaited, then `done` or `failed`.
 */
export const handlerRequestSchema = z.object({
  key: z.string(),
  handler: z.enum(handlers),
  kind: z.enum(requestKinds),
  status: z.enum(requestStatuses),
  planVersion: z.number().int().optional(),
  reason: z.string().optional(),
  reference: z.string().optional(),
  at: isoTime,
});

/**
 * A question to the consumer (domain/consumer-wait.ts): while it is open the case is
 * `awaiting_consumer` and the clocks in `pausedStages` stand still; an answer, or the end of
 * the reply time, resumes them with their deadlines moved out by the time waited.
 */
export const informationRequestStatuses = ['open', 'answered', 'unanswered', 'cancelled'] as const;
export const informationRequestSchema = z.object({
  key: z.string(),
  question: z.string(),
  needed: z.array(z.string()).optional(),
  askedBy: z.string().describe('`role:sub` of who asked.'),
  department: z.enum(departments).optional().describe('The department that asked, when one did.'),
  askedAt: isoTime,
  replyBy: isoTime.describe('When the wait ends without an answer and the clocks resume.'),
  resumeStatus: z.enum(statuses).describe('The status the case returns to.'),
  pausedStages: z.array(z.enum(stages)).describe('The clocks that stand still while it is open (the policy\'s `pauses`).'),
  status: z.enum(informationRequestStatuses),
  reminded: z.boolean().optional(),
  answer: z.object({ text: z.string(), evidence: z.array(z.string()).optional(), at: isoTime }).optional(),
  resumedAt: isoTime.optional(),
});

export const complaintSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  orderId: z.string(),
  productName: z.string(),
  description: z.string(),
  category: z.enum(categories),
  severity: z.enum(severities),
  channel: z.enum(channels),
  contact: z.object({ name: z.string(), phone: z.string().optional(), email: z.string().optional() }),
  evidence: z.array(z.string()),
  locale: z.enum(locales),
  status: z.enum(statuses),
  escalationLevel: z.number().int().min(1).max(3),
  departments: z.array(z.enum(departments)),
  deadlines: z.partialRecord(z.enum(stages), isoTime),
  /** A stage's warning time where a pause moved it (by the wait, like its deadline); else at its share of the stage. */
  warningsAt: z.partialRecord(z.enum(stages), isoTime).optional(),
  breaches: z.array(z.object({ stage: z.enum(stages), deadline: isoTime, at: isoTime })),
  findings: z.array(
    z.object({
      department: z.enum(departments),
      summary: z.string(),
      responsibleParty: z.enum(responsibleParties),
      /** Links the department gave with its findings (kept since 2026-12; older findings have none). */
      evidence: z.array(z.string()).optional(),
      at: isoTime,
    }),
  ),
  plan: z
    .object({
      remedy: z.enum(remedies),
      amount: z.number().optional(),
      currency: z.string().optional(),
      description: z.string(),
      version: z.number().int(),
    })
    .optional(),
  feedback: z.array(z.object({ accepted: z.boolean(), comment: z.string().optional(), planVersion: z.number().int(), at: isoTime })),
  satisfaction: z.object({ score: z.number().int().min(1).max(5), comment: z.string().optional(), at: isoTime }).optional(),
  timeline: z.array(timelineEventSchema),
  /**
   * Position of the first timeline entry the workflow carries: a long case keeps its older
   * entries in the read model only (domain/timeline-window.ts). Absent when it carries all.
   */
  timelineStart: z.number().int().min(0).optional(),
  requests: z.array(handlerRequestSchema),
  /** Questions to the consumer, oldest first; the last is open while the case is `awaiting_consumer`. */
  informationRequests: z.array(informationRequestSchema).optional(),
  /** How many times the case was reopened after closure (absent: never). */
  reopenCount: z.number().int().min(1).optional(),
  /** When it was last reopened: findings and plans before it belong to the earlier round. */
  reopenedAt: isoTime.optional(),
  /** When the case's personal data was erased (domain/personal-data.ts): its texts and contact read `[erased]`. */
  erasedAt: isoTime.optional(),
  /** The agent who acknowledged the case; deadline warnings go to them. */
  assignee: z.string().optional(),
  /** Version of the SLA policy the case runs under (copied at intake). */
  slaPolicyVersion: z.string(),
  /** Grows with every change (by one; further to pass a snapshot written ahead, decision 026); the read model keeps only the newest revision. */
  revision: z.number().int(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

/**
 * A stage's clock as the API shows it (domain/case-clocks.ts): `running` until the stage
 * finishes, `met` when it finished in time, `breached` once past due (finished or not),
 * `paused` while the case waits on the consumer (its deadline moves out by the wait when it
 * resumes) and when the case ended (withdrawn, terminated) before the stage finished.
 */
export const clockStates = ['running', 'paused', 'met', 'breached'] as const;
export const clockSchema = z.object({
  stage: z.enum(stages),
  state: z.enum(clockStates),
  startedAt: isoTime.optional().describe('Absent only when the start lies before the timeline the case still carries.'),
  warningAt: isoTime.optional().describe('When the stage becomes at risk (the policy\'s warning share); the consumer\'s windows have none.'),
  dueAt: isoTime,
  finishedAt: isoTime.optional(),
  tookMs: z.number().int().optional().describe('A finished stage: how long it took.'),
  overdueMs: z.number().int().optional().describe('A breached clock: how long past due it is (running) or was (finished).'),
});
/**
 * The case's SLA badge: its most pressing clock, in words. `none`: no clock has started;
 * `paused`: the case waits on the consumer and none of its clocks runs.
 */
export const slaStates = ['on_track', 'at_risk', 'breached', 'met', 'none', 'paused'] as const;
export const slaSchema = z.object({
  state: z.enum(slaStates),
  stage: z.enum(stages).optional(),
  dueAt: isoTime.optional(),
  warningAt: isoTime.optional(),
  overdueMs: z.number().int().optional(),
});
export const actionTypes = [
  'acknowledge', 'addDepartments', 'submitFindings', 'proposePlan', 'giveFeedback', 'completeFulfilment', 'rateSatisfaction', 'escalate', 'withdraw',
  'requestInformation', 'provideInformation',
] as const;
/**
 * Actions on a case: the workflow's updates, reopening a closed case (a new run of its
 * workflow), and erasing an ended case's personal data (the owner's or ops' endpoint).
 */
export const caseActionTypes = [...actionTypes, 'reopen', 'erasePersonalData'] as const;
/** An action the caller may take now; for departments, which ones it may take it for. */
export const availableActionSchema = z.object({
  type: z.enum(caseActionTypes),
  departments: z.array(z.enum(departments)).optional(),
});

/** Who acts: from the bearer token (api-v1.md, Auth). */
export const actorSchema = z.object({
  sub: z.string().min(1).max(128),
  role: z.enum(roles),
  department: z.enum(departments).optional(),
});

// The bodies of the actions (api-v1.md, Endpoints). Each is also a workflow update's input.
export const acknowledgeInputSchema = z.object({ note: text(2000).optional() }).strict();
export const addDepartmentsInputSchema = z.object({ add: z.array(z.enum(departments)).min(1).max(departments.length) }).strict();
const findingsInputSchemaFor = (policy: LinkPolicy) => z
  .object({
    department: z.enum(departments),
    summary: text(5000),
    responsibleParty: z.enum(responsibleParties),
    evidence: evidenceLinks(policy, caseLimits.evidencePerFindings).optional(),
  })
  .strict();
export const findingsInputSchema = findingsInputSchemaFor('development');
export const planInputSchema = z
  .object({
    remedy: z.enum(remedies),
    description: text(5000),
    amount: z.number().min(0).max(10_000_000).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').default('CNY'),
  })
  .strict();
export const feedbackInputSchema = z.object({ accepted: z.boolean(), comment: text(2000).optional() }).strict();
export const fulfilmentInputSchema = z.object({ done: z.literal(true), note: text(2000).optional() }).strict();
export const satisfactionInputSchema = z.object({ score: z.number().int().min(1).max(5), comment: text(2000).optional() }).strict();
export const escalateInputSchema = z.object({ reason: text(1000), level: z.number().int().min(2).max(3).optional() }).strict();
export const withdrawInputSchema = z.object({ reason: text(1000).optional() }).strict();
export const requestInformationInputSchema = z
  .object({
    question: text(2000),
    needed: z.array(text(200)).min(1).max(caseLimits.neededItems).optional().describe('What the consumer should send, item by item (photos of the defect, the courier\'s slip, …).'),
  })
  .strict();
const provideInformationInputSchemaFor = (policy: LinkPolicy) => z
  .object({ text: text(5000), evidence: evidenceLinks(policy, caseLimits.evidencePerFindings).optional() })
  .strict();
export const reopenInputSchema = z.object({ reason: text(1000) }).strict();

const actionInputSchemasFor = (policy: LinkPolicy) => ({
  acknowledge: acknowledgeInputSchema,
  addDepartments: addDepartmentsInputSchema,
  submitFindings: findingsInputSchemaFor(policy),
  proposePlan: planInputSchema,
  giveFeedback: feedbackInputSchema,
  completeFulfilment: fulfilmentInputSchema,
  rateSatisfaction: satisfactionInputSchema,
  escalate: escalateInputSchema,
  withdraw: withdrawInputSchema,
  requestInformation: requestInformationInputSchema,
  provideInformation: provideInformationInputSchemaFor(policy),
});
export const actionInputSchemas = actionInputSchemasFor('development');

/**
 * The request bodies the API validates with. Evidence links follow the deployment's link
 * policy: plain http only outside production. The types are the same under both policies.
 */
export const requestSchemas = (policy: LinkPolicy) => ({
  newComplaint: newComplaintSchemaFor(policy),
  actions: actionInputSchemasFor(policy),
});
export type ActionType = keyof typeof actionInputSchemas;
export type CaseActionType = (typeof caseActionTypes)[number];
export type InformationRequest = z.infer<typeof informationRequestSchema>;
export type Clock = z.infer<typeof clockSchema>;
export type Sla = z.infer<typeof slaSchema>;
export type AvailableAction = z.infer<typeof availableActionSchema>;
export type ActionInput<T extends ActionType> = z.infer<(typeof actionInputSchemas)[T]>;
export type Actor = z.infer<typeof actorSchema>;
export type HandlerName = (typeof handlers)[number];
export type RequestKind = (typeof requestKinds)[number];
export type HandlerRequest = z.infer<typeof handlerRequestSchema>;

export type Category = (typeof categories)[number];
export type Severity = (typeof severities)[number];
export type Channel = (typeof channels)[number];
export type ComplaintStatus = (typeof statuses)[number];
export type Department = (typeof departments)[number];
export type Stage = (typeof stages)[number];
export type Role = (typeof roles)[number];
export type Locale = (typeof locales)[number];
export type NewComplaint = z.infer<typeof newComplaintSchema>;
export type Complaint = z.infer<typeof complaintSchema>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
