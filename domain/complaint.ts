import type { Category, Complaint, Department, NewComplaint } from './complaint-schema';

/**
 * Pure complaint rules shared by the workflow and the API. No I/O, no clock: every time
 * comes in as an argument, so the workflow stays deterministic.
 */

/** What the API hands the workflow at intake. */
export interface ComplaintWorkflowInput {
  intake: Omit<NewComplaint, 'customerId' | 'allowDuplicate'> & { customerId: string };
  id: string;
  /** ISO time the platform received the complaint; every deadline runs from here on. */
  receivedAt: string;
  /** `role:userId` of whoever opened it. */
  actor: string;
}

/** Workflow id of a complaint: one workflow per complaint, found by its id. */
export const complaintWorkflowId = (complaintId: string): string => `complaint-${complaintId}`;

/** The departments a category is routed to at intake [001 ch.5]; agents may add more. */
export function departmentsFor(category: Category): Department[] {
  switch (category) {
    case 'quality':
      return ['quality'];
    case 'logistics':
      return ['logistics'];
    case 'false_advertising':
    case 'legal':
      return ['legal'];
    default:
      return [];
  }
}

/** The complaint as it stands the moment it is received. */
export function initialComplaint(input: ComplaintWorkflowInput): Complaint {
  const { intake, receivedAt } = input;
  return {
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
    status: 'received',
    escalationLevel: 1,
    departments: departmentsFor(intake.category),
    deadlines: {},
    breaches: [],
    findings: [],
    feedback: [],
    timeline: [{ at: receivedAt, type: 'received', actor: input.actor, data: { channel: intake.channel } }],
    revision: 1,
    createdAt: receivedAt,
    updatedAt: receivedAt,
  };
}
