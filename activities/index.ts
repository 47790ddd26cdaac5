import type { Complaint } from '../domain/complaint-schema';
import type { Notice } from '../domain/lifecycle';
import type { NotificationOutbox } from './outbox';
import type { ComplaintReadModel } from './read-model';

export interface ActivityDependencies {
  readModel: ComplaintReadModel;
  outbox: NotificationOutbox;
}

/**
 * Every side effect of the complaint workflow. Built from the clients it needs, so tests
 * pass real ones (or local ones) without module mocking. Each is idempotent under retry.
 */
export function createActivities(deps: ActivityDependencies) {
  return {
    /** Writes the workflow's snapshot of a complaint to the read model. */
    async saveComplaint(complaint: Complaint): Promise<void> {
      await deps.readModel.save(complaint);
    },
    /** Queues the case's notices for delivery, once per (case, notice key, recipient). */
    async sendNotices(complaintId: string, notices: Notice[]): Promise<void> {
      await deps.outbox.enqueue(complaintId, notices);
    },
  };
}

export type ComplaintActivities = ReturnType<typeof createActivities>;
