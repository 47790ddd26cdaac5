import type { Complaint } from '../domain/complaint-schema';
import type { ComplaintReadModel } from './read-model';

export interface ActivityDependencies {
  readModel: ComplaintReadModel;
}

/**
 * Every side effect of the complaint workflow. Built from the clients it needs, so tests
 * pass real ones (or local ones) without module mocking.
 */
export function createActivities(deps: ActivityDependencies) {
  return {
    /** Writes the workflow's snapshot of a complaint to the read model. */
    async saveComplaint(complaint: Complaint): Promise<void> {
      await deps.readModel.save(complaint);
    },
  };
}

export type ComplaintActivities = ReturnType<typeof createActivities>;
