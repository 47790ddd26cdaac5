import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { openCase } from '../../domain/lifecycle';
import { retentionScheduleId } from '../../runtime/retention-schedule';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';
import {
  agent, consumer, eventually, newComplaintBody, ops, startTestService, testClient, testMongoUri, writePolicyFile, type TestService,
} from '../support/service';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

/**
 * The retention sweep on the real dev server: its Temporal Schedule, run by hand (`trigger`),
 * erases the ended cases whose personal data is past `retention.personalData` — urgent ones
 * after a second here, the others after the default three years — and nothing else.
 */
describe('retention of personal data: the daily schedule (real Temporal and FerretDB)', () => {
  const taskQueue = `retention-${randomUUID().slice(0, 8)}`;
  const shared = {
    TEMPORAL_TASK_QUEUE: taskQueue, MONGODB_URI: testMongoUri(),
    SLA_POLICY_FILE: writePolicyFile({ version: 'retention-test', policies: { urgent: { retention: { personalData: '1s' } } } }),
  };
  let api: TestService;
  let worker: WorkerProcess | undefined;
  let temporal: Client;
  let db: mongoose.Connection;
  let readModel: ComplaintReadModel;

  beforeAll(async () => {
    worker = await startWorkerProcess(shared);
    api = await startTestService({ ...shared, COMPONENTS: 'api', RATE_LIMIT_PER_MINUTE: '100000' });
    temporal = await testClient(shared.MONGODB_URI);
    db = await mongoose.createConnection(shared.MONGODB_URI).asPromise();
    readModel = new ComplaintReadModel(complaintModel(db));
  });
  afterAll(async () => {
    await worker?.kill();
    await db?.close();
    await temporal?.connection.close();
    await api?.stop();
  });

  const schedule = () => temporal.schedule.getHandle(retentionScheduleId(taskQueue));
  /** Starts the sweep now; answers its run's workflow (the schedule's newest action). */
  async function triggered() {
    const before = (await schedule().describe()).info.recentActions.length;
    await schedule().trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    const action = await eventually(async () => (await schedule().describe()).info.recentActions.slice(before).at(-1) ?? null);
    return temporal.workflow.getHandle(action.action.workflow.workflowId);
  }
  /** Runs the sweep now and waits for its result (across its runs: continue-as-new is followed). */
  const sweep = async () => (await triggered()).result() as Promise<{ erased: number; failed: string[] }>;
  /** A case as stored, ended at `endedAt` (its workflow long gone). */
  async function storedCase(severity: 'general' | 'urgent', endedAt: string): Promise<string> {
    const id = `stored-${randomUUID()}`;
    const { complaint } = openCase({
      id, intake: sampleIntake({ customerId: 'retained', severity, contact: { name: 'RETAINED Person', phone: '+86 138 0000 1111' } }),
      receivedAt: endedAt, actor: 'consumer:retained', policy: loadSlaPolicy(undefined).forSeverity(severity),
    }).state;
    await readModel.save({ ...complaint, status: 'closed', revision: 5, updatedAt: endedAt });
    return id;
  }
  const erasedAt = async (id: string) => (await readModel.erasureOf(id))?.erasedAt;
  const auditOf = (ids: string[]) => db.collection('audit_log').find({ target: { $in: ids }, action: 'erase_personal_data' }).toArray();

  it('is a Temporal Schedule that erases only what is due, and a second run changes nothing', async () => {
    const described = await schedule().describe();
    expect(described.spec.calendars?.length).toBe(1);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionSweepWorkflow', taskQueue });

    const open = async (severity: string, owner: string) => (await api.api.post('/api/v1/complaints', newComplaintBody({ severity }), consumer(owner))).body.id as string;
    const withdrawn = async (severity: string, owner: string) => {
      const id = await open(severity, owner);
      expect((await api.api.post(`/api/v1/complaints/${id}/withdraw`, {}, consumer(owner))).status).toBe(200);
      return id;
    };
    const urgentEnded = await withdrawn('urgent', 'r1');
    const generalEnded = await withdrawn('general', 'r2');
    const urgentOpen = await open('urgent', 'r3');
    const longAgo = await storedCase('general', '2020-01-01T00:00:00.000Z');
    const lastWeek = await storedCase('general', new Date(Date.now() - 7 * 86_400_000).toISOString());
    await eventually(async () => ((await readModel.summary(generalEnded))?.status === 'withdrawn' && (await readModel.summary(urgentOpen)) ? true : null));
    await new Promise((r) => setTimeout(r, 1_500)); // the urgent case's second of retention passes

    expect(await sweep()).toEqual({ erased: 2, failed: [] });
    expect(await erasedAt(urgentEnded)).toBeDefined();
    expect(await erasedAt(longAgo)).toBeDefined();
    for (const kept of [generalEnded, urgentOpen, lastWeek]) expect(await erasedAt(kept), kept).toBeUndefined();
    const shown = await api.api.get(`/api/v1/complaints/${urgentEnded}`, agent);
    expect(shown.body).toMatchObject({ contact: { name: '[erased]' }, status: 'withdrawn' });
    const audit = await auditOf([urgentEnded, longAgo]);
    expect(audit.map((a) => [a.target, a.actor, a.details.trigger]).sort()).toEqual(
      [[urgentEnded, 'system:retention', 'retention'], [longAgo, 'system:retention', 'retention']].sort(),
    );
    // The case of before case keys had its histories deleted instead (it had none left here).
    expect(audit.find((a) => a.target === longAgo)!.details.scheme).toBe('service-key');

    expect(await sweep()).toEqual({ erased: 0, failed: [] });
    expect(await auditOf([urgentEnded, longAgo, generalEnded, urgentOpen, lastWeek])).toHaveLength(2);
    expect((await api.api.get(`/api/v1/complaints/${urgentOpen}`, agent)).body.erasedAt).toBeUndefined();
  });

  it('finishes the sweep after its worker is killed mid-run, erasing each case once', async () => {
    const due: string[] = [];
    for (let i = 0; i < 60; i++) due.push(await storedCase('general', '2021-06-01T00:00:00.000Z'));
    const run = await triggered();
    const atKill = await eventually(async () => {
      const n = (await auditOf(due)).length;
      return n >= 1 ? n : null;
    }, 60_000);
    await worker!.kill('SIGKILL');
    worker = await startWorkerProcess(shared);
    await eventually(async () => ((await auditOf(due)).length === due.length ? true : null), 120_000);
    const audit = await auditOf(due);
    expect(new Set(audit.map((a) => a.target)).size).toBe(due.length);
    for (const id of due) expect(await erasedAt(id), id).toBeDefined();
    expect(atKill).toBeLessThan(due.length);
    // The sweep itself completes, every case counted once (by it, or by its erasure that the kill interrupted).
    const result = (await run.result()) as { erased: number; failed: string[] };
    expect(result.failed).toEqual([]);
    expect(result.erased).toBe(due.length);
  }, 240_000);

  it('ops see the erasure in the case\'s audit', async () => {
    const id = await storedCase('general', '2020-02-01T00:00:00.000Z');
    expect((await sweep()).erased).toBeGreaterThanOrEqual(1);
    const described = await api.api.get(`/api/v1/ops/complaints/${id}`, ops);
    // No workflow exists for a stored-only case: ops describe answers 404, the audit is in the log.
    expect([200, 404]).toContain(described.status);
    expect(await auditOf([id])).toHaveLength(1);
  });
});
