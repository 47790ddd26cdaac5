import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';

/** What a workflow is waiting on, from `describe`: its pending activities, failures decrypted. */
export interface PendingActivity {
  activityId: string;
  activityType: string;
  attempt: number;
  /** running, retrying (between attempts) or scheduled. */
  state: 'running' | 'retrying' | 'scheduled';
  lastFailure?: string;
  nextAttemptAt?: string;
}

export async function pendingActivitiesOf(
  description: WorkflowExecutionDescription,
  converter: LoadedDataConverter,
): Promise<PendingActivity[]> {
  return Promise.all(
    (description.raw.pendingActivities ?? []).map(async (a) => {
      const attempt = a.attempt ?? 1;
      // Failure messages are encrypted like every payload.
      const lastFailure = (await decodeOptionalFailureToOptionalError(converter, a.lastFailure))?.message;
      return {
        activityId: a.activityId ?? '',
        activityType: a.activityType?.name ?? 'unknown',
        attempt,
        // PendingActivityState: 1 scheduled (or waiting to retry), 2 started.
        state: a.state === 2 ? 'running' : attempt > 1 ? 'retrying' : 'scheduled',
        ...(lastFailure ? { lastFailure } : {}),
        ...(a.nextAttemptScheduleTime ? { nextAttemptAt: tsToIso(a.nextAttemptScheduleTime) } : {}),
      } satisfies PendingActivity;
    }),
  );
}

const tsToIso = (ts: { seconds?: unknown; nanos?: number | null }): string =>
  new Date(Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
