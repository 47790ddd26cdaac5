/**
 * The words of the complaint domain: plain constant lists, no zod. Workflow code imports these
 * (the sandbox stays small: zod in the workflow bundle cost every cached workflow memory of its
 * own); complaint-schema.ts builds the schemas from them and re-exports them.
 */
export const categories = ['quality', 'service', 'false_advertising', 'logistics', 'legal', 'other'] as const;
export const severities = ['general', 'complex', 'urgent'] as const;
export const channels = ['web', 'app', 'phone', 'email', 'chat'] as const;
export const statuses = [
  'received', 'acknowledged', 'investigating', 'planning', 'awaiting_feedback',
  'fulfilling', 'resolved', 'closed', 'withdrawn',
  // The case waits on the consumer's answer to a question; its stage's clock stands still (2026-12).
  'awaiting_consumer',
  // Set only by an ops termination, in the read model (services/ops.ts); a workflow never has it.
  'terminated',
] as const;
/** Statuses of a case that takes nothing more: not "open" for the duplicate-order check, erasable (domain/personal-data.ts). */
export const endedStatuses = ['closed', 'withdrawn', 'terminated'] as const satisfies ReadonlyArray<(typeof statuses)[number]>;
/** Whether a case in `status` takes nothing more (nothing more will be done for the person). */
export const hasEnded = (status: string): boolean => (endedStatuses as readonly string[]).includes(status);
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
