import { z } from 'zod';

/**
 * The one schema source of the complaint resource (api-v1.md). Request validation, the
 * TypeScript types and the OpenAPI document all come from here.
 */
export const categories = ['quality', 'service', 'false_advertising', 'logistics', 'legal', 'other'] as const;
export const severities = ['general', 'complex', 'urgent'] as const;
export const channels = ['web', 'app', 'phone', 'email', 'chat'] as const;
export const statuses = [
  'received', 'acknowledged', 'investigating', 'planning', 'awaiting_feedback',
  'fulfilling', 'resolved', 'closed', 'withdrawn',
] as const;
export const departments = ['quality', 'logistics', 'legal'] as const;
export const remedies = ['refund', 'replacement', 'repair', 'return', 'compensation', 'apology', 'other'] as const;
export const responsibleParties = ['merchant', 'platform', 'carrier', 'consumer', 'none'] as const;
export const stages = ['acknowledge', 'investigate', 'plan', 'feedback', 'repair', 'resolve', 'revisit'] as const;
/** Who carries out a request of the case: the three departments and the payment service. */
export const handlers = ['quality', 'logistics', 'legal', 'payments'] as const;
export const requestKinds = ['investigation', 'refund', 'compensation', 'return', 'replacement', 'repair'] as const;
export const requestStatuses = ['pending', 'accepted', 'done', 'failed'] as const;
export const roles = ['consumer', 'agent', 'department', 'supervisor', 'ops'] as const;
/** Languages of the consumer's messages. */
export const locales = ['zh-CN', 'en'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.iso.datetime({ offset: true });

export const contactSchema = z
  .object({
    name: text(100),
    phone: z.string().trim().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number of 6-20 digits').optional(),
    email: z.email().max(254).optional(),
  })
  .strict()
  .refine((c) => c.phone !== undefined || c.email !== undefined, {
    message: 'a phone number or an e-mail address is required',
    path: ['phone'],
  });

export const newComplaintSchema = z
  .object({
    orderId: text(64),
    productName: text(200),
    description: text(5000),
    contact: contactSchema,
    channel: z.enum(channels),
    category: z.enum(categories).default('other'),
    severity: z.enum(severities).default('general'),
    evidence: z.array(z.url().max(2048)).max(20).default([]),
    locale: z.enum(locales).default('zh-CN'),
    /** Only agents set it (phone and e-mail complaints); a consumer's own id otherwise. */
    customerId: text(64).optional(),
    allowDuplicate: z.boolean().default(false),
  })
  .strict();

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
  breaches: z.array(z.object({ stage: z.enum(stages), deadline: isoTime, at: isoTime })),
  findings: z.array(
    z.object({
      department: z.enum(departments),
      summary: z.string(),
      responsibleParty: z.enum(responsibleParties),
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
  requests: z.array(handlerRequestSchema),
  /** The agent who acknowledged the case; deadline warnings go to them. */
  assignee: z.string().optional(),
  /** Version of the SLA policy the case runs under (copied at intake). */
  slaPolicyVersion: z.string(),
  /** Grows by one with every change; the read model keeps only the newest revision. */
  revision: z.number().int(),
  createdAt: isoTime,
  updatedAt: isoTime,
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
export const findingsInputSchema = z
  .object({
    department: z.enum(departments),
    summary: text(5000),
    responsibleParty: z.enum(responsibleParties),
    evidence: z.array(z.url().max(2048)).max(20).optional(),
  })
  .strict();
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

export const actionInputSchemas = {
  acknowledge: acknowledgeInputSchema,
  addDepartments: addDepartmentsInputSchema,
  submitFindings: findingsInputSchema,
  proposePlan: planInputSchema,
  giveFeedback: feedbackInputSchema,
  completeFulfilment: fulfilmentInputSchema,
  rateSatisfaction: satisfactionInputSchema,
  escalate: escalateInputSchema,
  withdraw: withdrawInputSchema,
} as const;
export type ActionType = keyof typeof actionInputSchemas;
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
