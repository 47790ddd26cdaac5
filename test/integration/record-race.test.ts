import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { RecordedChange } from '../../activities';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { complaintWorkflowId } from '../../domain/complaint';
import type { Actor } from '../../domain/complaint-schema';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { actionUpdates, getComplaintQuery } from '../../workflows/messages';
import { realActivities } from '../support/activities';
import { sampleIntake } from '../support/fixtures';
import { connectToRealServers } from '../support/real-servers';
import { eventually, testDataConverter } from '../support/service';

/**
 * Decision 026: a record writes the snapshot with the requests it hands over already accepted,
 * a revision ahead of the case. If the case moves on while that record runs (here: legal's
 * findings arrive through the task it has just been given), the case's next snapshot must still
 * be taken by the read model, which keeps only newer revisions. Real Temporal and FerretDB; the
 * real activities, the record held until the findings are in.
 */
describe('a case that moves on while its record hands a department its task (real servers)', () => {
  const agent: Actor = { role: 'agent', sub: 'a1' };
  const legal: Actor = { role: 'department', sub: 'l1', department: 'legal' };
  const servers = connectToRealServers();

  it('stores the findings that came during the record, not the acceptance written ahead of them', async () => {
    const { db, client, connection } = servers;
    const real = realActivities(db);
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    // The record that hands the requests over has begun (its snapshot taken): only then can the
    // case move on while it runs. Until then an earlier record may still hold the workflow's lane.
    let recordHeld!: () => void;
    const held = new Promise<void>((resolve) => (recordHeld = resolve));
    const revisionsRecorded: number[] = [];
    const taskQueue = `race-${randomUUID()}`;
    const worker = await Worker.create({
      connection, taskQueue, workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter(),
      activities: {
        ...real,
        // The acknowledgement's record (it hands legal its task) waits until legal has answered.
        async recordChange(change: RecordedChange) {
          if (change.requests?.length) {
            recordHeld();
            await gate;
          }
          if (change.complaint) revisionsRecorded.push(change.complaint.revision);
          return real.recordChange(change);
        },
      },
    });
    const readModel = new ComplaintReadModel(complaintModel(db));
    await worker.runUntil(async () => {
      const id = randomUUID();
      const handle = await client.workflow.start('complaintWorkflow', {
        workflowId: complaintWorkflowId(id), taskQueue,
        args: [{ id, receivedAt: new Date().toISOString(), actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'), intake: sampleIntake({ category: 'false_advertising' }) }],
      });
      await handle.executeUpdate(actionUpdates.addDepartments, { args: [{ actor: agent, input: { add: ['quality'] } }] });
      const acknowledged = await handle.executeUpdate(actionUpdates.acknowledge, { args: [{ actor: agent, input: {} }] });
      expect(acknowledged.requests.map((r) => r.key)).toEqual(['investigation:legal', 'investigation:quality']);
      await held;
      const investigated = await handle.executeUpdate(actionUpdates.submitFindings, {
        args: [{ actor: legal, input: { department: 'legal', summary: 'No legal issue', responsibleParty: 'none' } }],
      });
      expect(investigated.revision).toBe(acknowledged.revision + 1);
      openGate();
      // The record writes both requests accepted, two revisions past the acknowledgement. The case
      // reaches the same count with legal's findings and quality's acceptance: the read model must
      // end with the case as the workflow holds it, findings included.
      const stored = await eventually(async () => {
        const complaint = await readModel.get(id);
        return complaint?.findings.length === 1 && complaint.requests[1]?.status === 'accepted' ? complaint : null;
      });
      const inWorkflow = await handle.query(getComplaintQuery);
      expect(stored.requests.map((r) => r.status)).toEqual(['done', 'accepted']);
      expect(stored.revision).toBe(inWorkflow.revision);
      expect(inWorkflow.revision).toBeGreaterThan(acknowledged.revision + 2);
      expect(revisionsRecorded.at(-1)).toBe(inWorkflow.revision);
      await handle.terminate('test done');
    });
  });
});
