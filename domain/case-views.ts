import type { Actor, Complaint, Department, HandlerRequest, TimelineEvent } from './complaint-schema';
import { maskEmail, maskName, maskPhone } from './contact-mask';

/**
 * What each caller sees of a case (domain.md §6: access by role). Staff who coordinate the
 * case (agent, supervisor, ops) see all of it; a department sees only the cases it works on,
 * with the consumer's contact masked unless its part needs it; the consumer sees their own
 * case without internal detail. `null`: the caller may not know the case exists (a 404).
 * The views keep the resource's shape: they only mask values or drop optional fields.
 */
export function viewFor(viewer: Actor, complaint: Complaint): Complaint | null {
  if (coordinates(viewer.role)) return complaint;
  switch (viewer.role) {
    case 'consumer':
      return complaint.customerId === viewer.sub ? consumerView(viewer, complaint) : null;
    case 'department':
      return viewer.department && worksOn(viewer.department, complaint) ? departmentView(viewer.department, complaint) : null;
    default: {
      // A new role sees nothing until its view is written here.
      const unknownRole: never = viewer.role;
      void unknownRole;
      return null;
    }
  }
}

const coordinatorRoles = ['agent', 'supervisor', 'ops'] as const satisfies ReadonlyArray<Actor['role']>;
const coordinates = (role: Actor['role']): role is (typeof coordinatorRoles)[number] => (coordinatorRoles as readonly string[]).includes(role);

/**
 * Callers who coordinate the case see it as stored (`viewFor` gives it to them unchanged), so a
 * list may send them its stored text as it is (decision 036).
 */
export const seesCaseAsStored = (viewer: Actor): boolean => coordinates(viewer.role);

/**
 * A department works on a case it is (or was: departments are never removed) assigned to, or
 * that holds a request for it (logistics picking up and delivering the goods of a remedy).
 */
export const worksOn = (department: Department, complaint: Complaint): boolean =>
  complaint.departments.includes(department) || requestsOf(complaint).some((r) => r.handler === department);

/** Goods remedies logistics carries out at the consumer's door [003 §5.3]. */
const doorstepKinds: ReadonlySet<HandlerRequest['kind']> = new Set(['return', 'replacement', 'repair']);

/** Logistics needs the name and phone while it still has goods to pick up or deliver. */
const needsContact = (department: Department, complaint: Complaint): boolean =>
  department === 'logistics' &&
  complaint.status === 'fulfilling' &&
  requestsOf(complaint).some((r) => r.handler === 'logistics' && doorstepKinds.has(r.kind) && r.status !== 'done');

function departmentView(department: Department, complaint: Complaint): Complaint {
  const { name, phone, email } = complaint.contact;
  const visible = needsContact(department, complaint);
  return {
    ...complaint,
    contact: {
      name: visible ? name : maskName(name),
      ...(phone !== undefined ? { phone: visible ? phone : maskPhone(phone) } : {}),
      ...(email !== undefined ? { email: maskEmail(email) } : {}),
    },
  };
}

/** Free text written by staff or returned by handlers: internal notes, reasons, error messages. */
const internalText: ReadonlySet<string> = new Set(['note', 'reason', 'error']);

function consumerView(viewer: Actor, complaint: Complaint): Complaint {
  const { assignee: _assignee, ...rest } = complaint;
  const own = `consumer:${viewer.sub}`;
  return {
    ...rest,
    // Ops interventions (resets, retries, terminations) are about the machinery, not the case.
    timeline: complaint.timeline.filter((e) => !e.type.startsWith('ops_')).map((e) => consumerEvent(e, own)),
    requests: requestsOf(complaint).map(({ reason: _reason, ...request }) => request),
    // Who asked, as their role: a staff id is not the consumer's to see.
    ...(complaint.informationRequests
      ? { informationRequests: complaint.informationRequests.map((q) => ({ ...q, askedBy: publicActor(q.askedBy, q.department ? { department: q.department } : {}) })) }
      : {}),
  };
}

function consumerEvent(event: TimelineEvent, own: string): TimelineEvent {
  // The consumer's own words (a withdrawal's reason, a rejection's comment) stay theirs to read.
  if (event.actor === own) return event;
  const data = Object.fromEntries(Object.entries(event.data ?? {}).filter(([key]) => !internalText.has(key)));
  return { ...event, actor: publicActor(event.actor, data), data };
}

/** Staff as their role (`agent`, `department:quality`), never their id. */
function publicActor(actor: string, data: Record<string, unknown>): string {
  const role = actor.split(':', 1)[0]!;
  if (role === 'handler') return actor; // `handler:payments` names a service, not a person
  if (role === 'department') return typeof data.department === 'string' ? `department:${data.department}` : 'department';
  return publicRoles.has(role) ? role : 'staff';
}
const publicRoles: ReadonlySet<string> = new Set(['system', 'consumer', 'agent', 'supervisor', 'ops']);

// Snapshots written before requests existed have none.
const requestsOf = (complaint: Complaint): HandlerRequest[] => complaint.requests ?? [];
