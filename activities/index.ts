import type { WorkingCalendar } from '../domain/calendar';
import type { Complaint } from '../domain/complaint-schema';
import { reportFacts } from '../domain/report-facts';
import type { ReportFactsStore } from './report-facts-store';
import type { HandlerAnswer, HandlerMessage, Notice } from '../domain/lifecycle';
import { withHeartbeat, type HandlerGateway } from './handlers';
import type { Audience, NotificationOutbox } from './outbox';
import type { ComplaintReadModel } from './read-model';

export interface ActivityDependencies {
  readModel: ComplaintReadModel;
  reportFacts: ReportFactsStore;
  outbox: NotificationOutbox;
  handlers: HandlerGateway;
  /** Called after messages were queued, so a dispatcher in this process sends them at once. */
  onNoticesQueued?: () => void;
}

/**
 * Every side effect of the complaint workflow. Built from the clients it needs, so tests
 * pass real ones (or local ones) without module mocking. Each is idempotent under retry.
 */
export function createActivities(deps: ActivityDependencies) {
  return {
    /** Writes the workflow's snapshot of a complaint to the read model and its report facts. */
    async saveComplaint(complaint: Complaint, calendar?: WorkingCalendar): Promise<void> {
      await deps.readModel.save(complaint);
      // Histories recorded before the calendar was passed replay without it: no facts then.
      if (calendar) await deps.reportFacts.save(reportFacts(complaint, calendar));
      const settled = complaint.requests.filter((r) => r.status === 'done' || r.status === 'failed');
      await deps.handlers.closeTasks(settled.map((r) => `${complaint.id}:${r.key}`));
    },
    /** Queues the case's notices for delivery, once per (case, notice key, recipient). */
    async sendNotices(complaintId: string, notices: Notice[], audience: Audience): Promise<void> {
      await deps.outbox.enqueue(complaintId, notices, audience);
      deps.onNoticesQueued?.();
    },
    /** Sends a request to a department handler or the payment service (manual or http mode). */
    async callHandler(message: HandlerMessage): Promise<HandlerAnswer> {
      return withHeartbeat((signal) => deps.handlers.call(message, signal));
    },
  };
}

export type ComplaintActivities = ReturnType<typeof createActivities>;
