import type { WorkingCalendar } from './calendar';
import type { Complaint, Severity, TimelineEvent } from './complaint-schema';
import { afterDuration, type SlaDuration } from './deadlines';
import type { HandlerMessage } from './lifecycle';

/**
 * What erasing a case's personal data leaves of it (issue 24; 002 §7.4, PIPL art. 47): every
 * field that names or reaches the person or carries what someone wrote is replaced by a
 * marker; what the figures need — status, severity, category, channel, clocks, deadlines,
 * breaches, escalations, scores, remedies, who on the staff did what and when — stays.
 * Pure: the read model, the outbox and the handler tasks are erased with these functions.
 */
export const erasedMark = '[erased]';

/** How long after a case ends its personal data is kept, unless the policy says otherwise: three years. */
export const defaultPersonalDataRetention: SlaDuration = '1095d';

/**
 * Timeline data kept as it is: identifiers of the case's own parts, enums and counts. Any
 * other text (a note, a reason, a question, a comment) is replaced; times stay.
 */
const structuralKeys = new Set([
  'stage', 'deadline', 'key', 'kind', 'department', 'departments', 'added', 'remedy', 'responsibleParty', 'replyBy',
  'pausedStages', 'version', 'from', 'to', 'level', 'score', 'count', 'previousScore', 'revisit', 'outcome', 'planVersion',
  'status', 'pausedMs', 'moved', 'deadlines', 'action', 'round',
]);
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function erasedValue(key: string, value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return structuralKeys.has(key) || isoInstant.test(value) ? value : erasedMark;
  if (Array.isArray(value)) return structuralKeys.has(key) ? value.map((v) => erasedValue(key, v)) : erasedMark;
  if (typeof value === 'object') return erasedData(value as Record<string, unknown>);
  return erasedMark;
}

const erasedData = (data: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, erasedValue(k, v)]));

/** A consumer's account id is theirs too: `consumer:[erased]`. Staff, departments and the system keep their names. */
export const erasedActor = (actor: string): string => (actor.startsWith('consumer:') ? `consumer:${erasedMark}` : actor);

const erasedEvent = (event: TimelineEvent): TimelineEvent => ({ ...event, actor: erasedActor(event.actor), data: erasedData(event.data) });

/** The complaint with its personal data replaced by the marker, stamped with when that happened. */
export function erasedComplaint(complaint: Complaint, at: string): Complaint {
  const c = complaint;
  return {
    ...c,
    customerId: erasedMark,
    orderId: erasedMark,
    description: erasedMark,
    contact: { name: erasedMark },
    evidence: [],
    findings: c.findings.map(({ evidence: _links, ...f }) => ({ ...f, summary: erasedMark })),
    ...(c.plan ? { plan: { ...c.plan, description: erasedMark } } : {}),
    feedback: c.feedback.map((f) => (f.comment === undefined ? f : { ...f, comment: erasedMark })),
    ...(c.satisfaction ? { satisfaction: c.satisfaction.comment === undefined ? c.satisfaction : { ...c.satisfaction, comment: erasedMark } } : {}),
    ...(c.informationRequests
      ? {
          informationRequests: c.informationRequests.map(({ needed: _items, answer, ...q }) => ({
            ...q, question: erasedMark, ...(answer ? { answer: { text: erasedMark, at: answer.at } } : {}),
          })),
        }
      : {}),
    timeline: c.timeline.map(erasedEvent),
    erasedAt: at,
  };
}

/** A handler's copy of the request: the case's identifying details and texts go. */
export function erasedHandlerMessage(message: HandlerMessage): HandlerMessage {
  return {
    ...message,
    case: { ...message.case, orderId: erasedMark, description: erasedMark, evidence: [] },
    ...(message.plan ? { plan: { ...message.plan, description: erasedMark } } : {}),
  };
}

/** One erasure workflow per case: a second request joins the one under way. */
export const erasureWorkflowId = (caseId: string): string => `erasure-${caseId}`;

/** When the personal data of a case that ended at `endedAt` is due for erasure. */
export const personalDataDueAt = (endedAt: string, retention: SlaDuration, calendar: WorkingCalendar): Date =>
  afterDuration(calendar, retention, new Date(endedAt));

export type RetentionBySeverity = Record<Severity, SlaDuration>;
