import type { Category, Department, NewComplaint } from './complaint-schema';
import type { ResolvedSlaPolicy } from './deadlines';

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
  /** The SLA policy in force at intake, for this severity: the case keeps it to the end. */
  policy: ResolvedSlaPolicy;
}

/** Workflow id of a complaint: one workflow per complaint, found by its id. */
export const complaintWorkflowId = (complaintId: string): string => `complaint-${complaintId}`;

/** The complaint id of a complaint workflow's id; undefined for any other workflow. */
export const caseIdOfWorkflowId = (workflowId: string): string | undefined =>
  workflowId.startsWith('complaint-') ? workflowId.slice('complaint-'.length) : undefined;

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
