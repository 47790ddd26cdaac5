import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { RecordedChange } from '../../activities';
import type { ErasureActivities } from '../../activities/erasure';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { complaintWorkflowId } from '../../domain/complaint';
import { codecFromConfig, developmentPayloadKeys } from '../../runtime/payload-codec';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { createComplaintWorker } from '../../worker';
import { realActivities } from '../support/activities';
import { sampleIntake } from '../support/fixtures';
import { connectToRealServers } from '../support/real-servers';
import { eventually } from '../support/service';

/**
 * Decision 038: a workflow task holds its slot while the case's record runs inside it, so the
 * worker must hold more tasks at once than the SDK's 40, or a burst of new cases (or of
 * deadlines) waits for slots. Sixty cases opened together: more than forty of their first records
 * run at the same time, each inside its case's first task. Real Temporal and FerretDB; the real
 * record, held until all sixty have begun (or 1 s, well under the record's 2 s limit in its task).
 */
describe('a burst of cases larger than the SDK\'s default slots (real servers)', () => {
  const servers = connectToRealServers();

  it('records more than forty of sixty new cases at once, each inside its first workflow task', async () => {
    const { db, client, connection } = servers;
    const cases = 60;
    const real = realActivities(db);
    let running = 0;
    let mostAtOnce = 0;
    let allBegun!: () => void;
    const begun = new Promise<void>((resolve) => (allBegun = resolve));
    const worker = await createComplaintWorker({
      connection, namespace: 'default', taskQueue: `slots-${randomUUID()}`, codec: codecFromConfig(developmentPayloadKeys),
      workflowBundle: { codePath: inject('workflowBundlePath') }, maxCachedWorkflows: 1000,
      // The erasure's activities are never called by these cases.
      activities: {
        ...real,
        async recordChange(change: RecordedChange) {
          mostAtOnce = Math.max(mostAtOnce, ++running);
          if (running === cases) allBegun();
          await Promise.race([begun, new Promise((resolve) => setTimeout(resolve, 1000))]);
          try {
            return await real.recordChange(change);
          } finally {
            running--;
          }
        },
      } as typeof real & ErasureActivities,
    });
    const readModel = new ComplaintReadModel(complaintModel(db));
    // Opened before the worker runs: their first tasks wait on the server, as in a burst.
    const policy = loadSlaPolicy(undefined).forSeverity('general');
    const ids = Array.from({ length: cases }, () => randomUUID());
    const handles = await Promise.all(ids.map((id) => client.workflow.start('complaintWorkflow', {
      workflowId: complaintWorkflowId(id), taskQueue: worker.options.taskQueue,
      args: [{ id, receivedAt: new Date().toISOString(), actor: 'consumer:u1', policy, intake: sampleIntake() }],
    })));
    await worker.runUntil(async () => {
      try {
        await eventually(async () => (await Promise.all(ids.map((id) => readModel.get(id)))).every(Boolean) || null, 20_000);
        // More than the SDK's 40 at once (with 40 slots at most 31 were); all sixty on a quiet machine.
        expect(mostAtOnce).toBeGreaterThan(40);
        // Each in its first task: a local activity's marker there, no record scheduled as an activity.
        for (const handle of handles) {
          const events = await eventually(async () => {
            const { events: recorded } = await handle.fetchHistory();
            return recorded?.some((e) => e.workflowTaskCompletedEventAttributes) ? recorded : null;
          });
          expect(events.some((e) => e.markerRecordedEventAttributes)).toBe(true);
          expect(events.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
        }
      } finally {
        await Promise.all(handles.map((handle) => handle.terminate().catch(() => undefined)));
      }
    });
  });
});
