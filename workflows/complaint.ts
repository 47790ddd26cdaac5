import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { ComplaintActivities } from '../activities';
import { initialComplaint, type ComplaintWorkflowInput } from '../domain/complaint';
import { getComplaintQuery } from './messages';
import { searchAttributesOf } from './search-attributes';

const { saveComplaint } = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '30s',
  // The read model may be away for a while (database restart): keep retrying, never drop a write.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** One complaint, from intake to closure, as one long-lived workflow. */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<void> {
  const complaint = initialComplaint(input);
  setHandler(getComplaintQuery, () => complaint);
  upsertSearchAttributes(searchAttributesOf(complaint));
  await saveComplaint(complaint);
  await condition(() => complaint.status === 'closed' || complaint.status === 'withdrawn');
}
