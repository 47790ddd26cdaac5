import type { WorkingCalendar } from '../domain/calendar';
import type { Complaint } from '../domain/complaint-schema';
import { reportFacts } from '../domain/report-facts';
import { withWholeTimeline as whole } from '../domain/timeline-window';
import type { ReportFactsStore } from './report-facts-store';
import { acceptRequest, type HandlerAnswer, type HandlerMessage, type Notice } from '../domain/lifecycle';
import { withHeartbeat, type HandlerGateway } from './handlers';
import type { Audience, NotificationDocument, NotificationOutbox } from './outbox';
import type { ComplaintReadModel } from './read-model';

export interface ActivityDependencies {
  readModel: ComplaintReadModel;
  reportFacts: ReportFactsStore;
  outbox: NotificationOutbox;
  handlers: HandlerGateway;
  /** A dispatcher in this process: it delivers what the activities queue at once, no poll needed. */
  delivery?: QueuedDelivery;
}

/** Delivers messages the moment they are queued (the worker's dispatcher). */
export interface QueuedDelivery {
  /** How long the first attempt of a message queued for it is its own (after that, any dispatcher's). */
  readonly firstAttemptLeaseMs: number;
  /** Starts delivering (not awaited); `consumer` spares a read of the consumer's address when the caller has it. */
  deliverQueued(rows: NotificationDocument[], consumer?: ConsumerAddress): void;
}
export type ConsumerAddress = Pick<Complaint, 'customerId' | 'contact'>;

/**
 * Every side effect of the complaint workflow. Built from the clients it needs, so tests
 * pass real ones (or local ones) without module mocking. Each is idempotent under retry.
 */
export function createActivities(deps: ActivityDependencies) {
  const saveComplaint = async (snapshot: Complaint, calendar?: WorkingCalendar): Promise<void> => {
    const complaint = await withWholeTimeline(snapshot);
    await deps.readModel.save(complaint);
    // Histories recorded before the calendar was passed replay without it: no facts then.
    if (calendar) await deps.reportFacts.save(reportFacts(complaint, calendar));
    const settled = complaint.requests.filter((r) => r.status === 'done' || r.status === 'failed');
    await deps.handlers.closeTasks(complaint.id, settled.map((r) => `${complaint.id}:${r.key}`));
  };
  // A long case's workflow carries only a window of its timeline: the read model has the rest.
  const withWholeTimeline = async (complaint: Complaint): Promise<Complaint> =>
    complaint.timelineStart ? whole((await deps.readModel.get(complaint.id))?.timeline ?? [], complaint) : complaint;
  const sendNotices = async (complaintId: string, notices: Notice[], audience: Audience, consumer?: ConsumerAddress): Promise<void> => {
    const { delivery } = deps;
    const queued = await deps.outbox.enqueue(complaintId, notices, audience, delivery ? { firstAttemptLeaseMs: delivery.firstAttemptLeaseMs } : {});
    delivery?.deliverQueued(queued, consumer);
  };
  // A manual handler takes a request in one write of its own (a task for staff): the record
  // makes it. An http handler's call may wait on the handler for long: it keeps its own activity.
  // Taken: a manual handler's request, or one an earlier attempt of this record handed over
  // already (the handler's mode changed since): its task exists, and the snapshot said so.
  const takenOf = async (requests: HandlerMessage[]): Promise<HandlerMessage[]> => {
    const manual = (message: HandlerMessage) => deps.handlers.modeOf(message.handler) === 'manual';
    const others = requests.filter((message) => !manual(message));
    const existing = others.length > 0 ? await deps.handlers.handedOver(others.map((message) => message.requestId)) : new Set<string>();
    return requests.filter((message) => manual(message) || existing.has(message.requestId));
  };
  const handOver = async (requests: HandlerMessage[]): Promise<Record<string, HandlerAnswer>> => {
    const answers = await Promise.all(requests.map((message) => deps.handlers.handOver(message)));
    return Object.fromEntries(requests.map((message, i) => [message.requestId, answers[i]!]));
  };
  return {
    /**
     * One change of a case in one task: the tasks of the manual handlers it asks, its snapshot
     * (when newer than the read model's), then its notices — one workflow task and one activity
     * task fewer than the two activities below.
     */
    async recordChange(change: RecordedChange): Promise<RecordOutcome> {
      const taken = await takenOf(change.requests ?? []);
      // A manual handler accepts what it is handed: the snapshot says so already, at the time the
      // workflow gave, as the workflow will (decision 026). No second record for the acceptance.
      const acceptedInSnapshot = Boolean(change.complaint && change.acceptedAt && taken.length > 0);
      if (acceptedInSnapshot) {
        for (const message of taken) acceptRequest(change.complaint!, message.requestId.slice(change.complaintId.length + 1), change.acceptedAt!);
      }
      // The tasks first: the snapshot never says a request was accepted before its task exists.
      const answers = taken.length > 0 ? await handOver(taken) : undefined;
      if (change.complaint) await saveComplaint(change.complaint, change.calendar);
      if (change.notices.length > 0) await sendNotices(change.complaintId, change.notices, change.audience, change.complaint);
      if (!answers) return {};
      return { answers, ...(acceptedInSnapshot ? { acceptedInSnapshot, revision: change.complaint!.revision } : {}) };
    },
    /** Writes the workflow's snapshot of a complaint to the read model and its report facts (histories before recordChange). */
    saveComplaint,
    /** Queues the case's notices for delivery, once per (case, notice key, recipient) (histories before recordChange). */
    sendNotices: (complaintId: string, notices: Notice[], audience: Audience) => sendNotices(complaintId, notices, audience),
    /** Sends a request to a department handler or the payment service (manual or http mode). */
    async callHandler(message: HandlerMessage): Promise<HandlerAnswer> {
      return withHeartbeat((signal) => deps.handlers.call(message, signal));
    },
  };
}

/** What `recordChange` writes: each write is idempotent, so a retried task repeats nothing. */
export interface RecordedChange {
  complaintId: string;
  /** The newest snapshot, left out when the read model already has this revision. */
  complaint?: Complaint;
  calendar?: WorkingCalendar;
  notices: Notice[];
  audience: Audience;
  /** Requests to hand to their handlers, when one takes them in one write of its own (manual mode). */
  requests?: HandlerMessage[];
  /** When the requests taken are accepted: the snapshot written says so (runs since decision 026). */
  acceptedAt?: string;
}

/** What a record answers: the answers of the handlers it handed requests to, by request id. */
export interface RecordOutcome {
  answers?: Record<string, HandlerAnswer>;
  /** The snapshot written holds these answers, accepted at `acceptedAt` (decision 026)… */
  acceptedInSnapshot?: boolean;
  /** …and this revision, which the case's next snapshot must pass. */
  revision?: number;
}

export type ComplaintActivities = ReturnType<typeof createActivities>;
