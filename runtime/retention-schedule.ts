import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';

/** The schedule and the sweep's workflow id, one per task queue (deployments sharing a namespace keep theirs apart). */
export const retentionScheduleId = (taskQueue: string): string => `personal-data-retention:${taskQueue}`;
export const retentionSweepWorkflowId = (taskQueue: string): string => `retention-sweep:${taskQueue}`;

/**
 * The Temporal Schedule that starts the retention sweep (workflows/erasure.ts): made at the
 * worker's start, brought in line with RETENTION_SCHEDULE when it exists (another worker made
 * it, or the setting changed). Visible in the Temporal UI under Schedules. A sweep still
 * running when the next is due is not started twice; one missed while the cluster was down is
 * caught up within a day.
 */
export async function ensureRetentionSchedule(client: Client, options: { taskQueue: string; cron: string; timezone: string }): Promise<void> {
  const scheduleId = retentionScheduleId(options.taskQueue);
  const handle = client.schedule.getHandle(scheduleId);
  if (options.cron === 'off') {
    await handle.delete().catch(() => undefined);
    return;
  }
  const schedule: ScheduleOptions = {
    scheduleId,
    spec: { cronExpressions: [options.cron], timezone: options.timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'retentionSweepWorkflow',
      workflowId: retentionSweepWorkflowId(options.taskQueue),
      taskQueue: options.taskQueue,
      args: [{}],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    memo: { purpose: 'erases personal data past its retention (retention.personalData)' },
  };
  try {
    await client.schedule.create(schedule);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    try {
      await handle.update((previous) => ({ ...previous, spec: schedule.spec, action: schedule.action, policies: { ...previous.policies, ...schedule.policies } }));
    } catch {
      // Its arguments were encrypted under a payload key since retired: made anew (a sweep
      // under way goes on; the schedule holds nothing else).
      await handle.delete();
      await client.schedule.create(schedule).catch((again: unknown) => {
        if (!(again instanceof ScheduleAlreadyRunning)) throw again; // another worker made it meanwhile
      });
    }
  }
}
