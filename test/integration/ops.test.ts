import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import { dataConverter, failureConverterPath } from '../../runtime/data-converter';
import { codecFromConfig } from '../../runtime/payload-codec';
import { findings, HandlerServer } from '../support/handler-server';
import { startWorkerProcess } from '../support/worker-process';
import {
  agent, consumer, eventually, newComplaintBody, ops, secondsPolicy, startTestService, testClient, testJwtSecret, type TestService,
} from '../support/service';

const secret = 'handler-secret-0123456789';

/** Runs the ops CLI as an operator would, against the test's servers. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ops.ts', ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), AUTH_JWT_SECRET: testJwtSecret, OPS_ACTOR: 'ops:cli-test', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('ops: stuck cases, retry, reset, terminate, replay', () => {
  const handlers = new HandlerServer(secret);
  let service: TestService;
  let temporal: Client;
  let failing = true;

  beforeAll(async () => {
    const base = await handlers.start();
    handlers.on('/quality', () => (failing ? { status: 500, body: { detail: 'inspection system down' } } : findings('Cracked base')));
    service = await startTestService({
      HANDLER_QUALITY_URL: `${base}/quality`, HANDLER_QUALITY_HMAC_SECRET: secret,
      SLA_POLICY_FILE: secondsPolicy({ acknowledge: '1s', investigate: '1h', plan: '1h', feedback: '1h', resolve: '1h', revisit: '1h' }),
    });
    temporal = await testClient(service.mongoUri);
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
    await handlers.stop();
  });

  const open = async (owner: string) => (await service.api.post('/api/v1/complaints', newComplaintBody({ category: 'quality' }), consumer(owner))).body.id as string;
  const stuck = async (minAttempts = 2) => {
    const res = await service.api.get(`/api/v1/ops/stuck?minAttempts=${minAttempts}`, ops);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as any[];
  };

  it('shows a case whose handler keeps failing, with its attempts; fixing it and retrying lets it finish', async () => {
    const id = await open('ops-1');
    await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    // Four failed attempts: the next one is 8 s away, time enough to fix and retry by hand.
    const row = await eventually(async () => (await stuck(4)).find((r) => r.id === id && r.reason === 'activity_failing'), 30_000);
    expect(row).toMatchObject({ detail: expect.stringContaining('callHandler investigation:quality'), lastFailure: expect.stringContaining('500') });
    expect(row.attempts).toBeGreaterThanOrEqual(4);
    expect(row.suggestedAction).toContain('retry');

    const described = await service.api.get(`/api/v1/ops/complaints/${id}`, ops);
    expect(described.body.pendingActivities[0]).toMatchObject({ activityType: 'callHandler', activityId: 'investigation:quality' });

    failing = false;
    const env = { MONGODB_URI: service.mongoUri };
    const retried = await cli(['retry', id, '--reason', 'inspection system is back'], env);
    expect(retried.out).toContain('Retried investigation:quality');
    expect(retried.code).toBe(0);
    const planning = await eventually(async () => {
      const c = (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
      return c.status === 'planning' ? c : null;
    }, 10_000);
    expect(planning.findings[0].summary).toBe('Cracked base');
    expect((await stuck()).filter((r) => r.id === id)).toEqual([]);
    expect(described.body.audit).toEqual([]);
    // The CLI's table of stuck cases, exit code 1 while any is stuck. It lists the whole
    // namespace, which other test files share (the fault tests kill workers mid-task, the trust test writes cases with another key); the
    // table cuts long reasons short ("workflow_task_faili…").
    const listed = await cli(['stuck'], env);
    expect(listed.out).toMatch(/overdue_idle|activity_failing|workflow_task_fail|unreadable|No stuck complaints/);
    expect(listed.code).toBe(listed.out.includes('No stuck complaints') ? 0 : 1);
    expect((await service.api.get(`/api/v1/ops/complaints/${id}`, ops)).body.audit).toEqual([
      expect.objectContaining({ actor: 'ops:cli-test', action: 'retry', reason: 'inspection system is back' }),
    ]);
  });

  it('lists an overdue case nothing is working on, saying whom it waits for', async () => {
    const id = await open('ops-2');
    const row = await eventually(async () => (await stuck()).find((r) => r.id === id), 15_000);
    expect(row).toMatchObject({ reason: 'overdue_idle', status: 'received', suggestedAction: expect.stringContaining('acknowledge') });
  });

  it('lists a case whose payloads it cannot decrypt as unreadable, and the others as before; refuses to describe or reset it (409), terminates it', async () => {
    // Written by a party with another key (or ours before a key was dropped from PAYLOAD_KEYS).
    const foreign = new Client({
      connection: temporal.connection,
      dataConverter: dataConverter(codecFromConfig(`other:${Buffer.alloc(32, 9).toString('base64')}`)),
    });
    const id = `foreign-${Date.now()}`;
    const handle = await foreign.workflow.start('complaintWorkflow', {
      workflowId: complaintWorkflowId(id), taskQueue: `nobody-${id}`, args: [{}], memo: { intakeHash: 'x' },
    });
    try {
      const overdue = await open('ops-unreadable');
      const rows = await eventually(async () => {
        const all = await stuck();
        return all.some((r) => r.id === overdue) ? all : null;
      }, 15_000);
      expect(rows.find((r) => r.id === id)).toMatchObject({ reason: 'unreadable', detail: expect.stringContaining('unknown key other') });
      // Described or reset, it is refused with what is wrong, and nothing changes.
      const runId = (await temporal.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: complaintWorkflowId(id) } }))
        .workflowExecutionInfo?.execution?.runId;
      const described = await service.api.get(`/api/v1/ops/complaints/${id}`, ops);
      expect(described.status).toBe(409);
      expect(described.body.detail).toMatch(/cannot be read by this service: payload encrypted with unknown key other.*ops terminate/);
      const reset = await service.api.post(`/api/v1/ops/complaints/${id}/reset`, { to: 'first-workflow-task', reason: 'Trying a reset' }, ops);
      expect(reset.status).toBe(409);
      const after = await temporal.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: complaintWorkflowId(id) } });
      expect(after.workflowExecutionInfo?.execution?.runId).toBe(runId);
      // Replayed, it gets a result of its own (it never ran a task: nothing to replay), not a 500.
      const replayed = await service.api.post('/api/v1/ops/replay', { ids: [id] }, ops);
      expect(replayed.status).toBe(200);
      expect(replayed.body.results).toEqual([expect.objectContaining({ id, workflowId: complaintWorkflowId(id) })]);
      // What `stuck` suggests for it works.
      const terminated = await service.api.post(`/api/v1/ops/complaints/${id}/terminate`, { reason: 'Not ours' }, ops);
      expect(terminated.status).toBe(204);
      expect((await handle.describe()).status.name).toBe('TERMINATED');
    } finally {
      await handle.terminate('test: foreign case').catch(() => undefined);
    }
  });

  it('resets a workflow and applies the later updates again, noting why on the timeline', async () => {
    failing = false;
    const id = await open('ops-3');
    await service.api.post(`/api/v1/complaints/${id}/escalate`, { reason: 'Press enquiry' }, { role: 'supervisor', sub: 's1' });
    await service.api.post(`/api/v1/complaints/${id}/departments`, { add: ['legal'] }, agent);
    const before = (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
    const reset = await service.api.post(`/api/v1/ops/complaints/${id}/reset`, { to: 'first-workflow-task', reason: 'Replaying after the hotfix' }, ops);
    expect(reset.status).toBe(200);
    const description = await temporal.workflow.getHandle(complaintWorkflowId(id)).describe();
    expect(description.runId).toBe(reset.body.runId);
    const after = await eventually(async () => {
      const c = (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
      return c.timeline.some((e: any) => e.type === 'ops_reset') ? c : null;
    });
    // The supervisor's escalation applied again, once (the level may be higher still: the 1 s
    // acknowledge deadline can pass and escalate too on a loaded machine).
    expect(after.timeline.filter((e: any) => e.type === 'escalated' && e.actor === 'supervisor:s1')).toHaveLength(1);
    expect(after.escalationLevel).toBeGreaterThanOrEqual(2);
    expect(after.departments).toEqual(before.departments);
    expect(after.timeline.find((e: any) => e.type === 'ops_reset')).toMatchObject({ actor: 'ops:o1', data: { reason: 'Replaying after the hotfix' } });
    const bad = await service.api.post(`/api/v1/ops/complaints/${id}/reset`, { to: 2, reason: 'Event 2 is not a workflow task' }, ops);
    expect(bad.status).toBe(400);
    expect((await service.api.post('/api/v1/ops/complaints/nope/reset', { to: 'last-workflow-task', reason: 'none' }, ops)).status).toBe(404);
    expect((await service.api.post(`/api/v1/ops/complaints/${id}/reset`, { to: 'first-workflow-task', reason: 'x' }, agent)).status).toBe(403);
  });

  it('batch-resets by a visibility query after a dry run', async () => {
    const dry = await service.api.post('/api/v1/ops/reset-batch', { query: "ComplaintSeverity = 'urgent' AND ComplaintCategory = 'legal'", to: 'last-workflow-task', reason: 'Nothing should match' }, ops);
    expect(dry.body).toEqual({ dryRun: true, matched: [] });
    const invalid = await service.api.post('/api/v1/ops/reset-batch', { query: 'NoSuchField = 1', to: 'last-workflow-task', reason: 'bad query' }, ops);
    expect(invalid.status).toBe(400);
  });

  it('terminates with a reason, recorded in the read model and the audit log', async () => {
    const id = await open('ops-4');
    await eventually(async () => ((await service.api.get(`/api/v1/complaints?customerId=ops-4`, agent)).body.items.length ? true : null));
    const res = await service.api.post(`/api/v1/ops/complaints/${id}/terminate`, { reason: 'Opened by a test robot' }, ops);
    expect(res.status).toBe(204);
    expect((await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name).toBe('TERMINATED');
    const stored = (await service.api.get(`/api/v1/complaints?customerId=ops-4`, agent)).body.items[0];
    expect(stored.revision).toBeGreaterThan(1);
    expect(stored.status).toBe('terminated');
  });

  it('shows a case whose workflow task fails (a bad deployment), until a good worker takes over', async () => {
    // The case runs on its own task queue; its first worker runs the current code.
    const queue = { TEMPORAL_TASK_QUEUE: `wft-${Date.now()}`, MONGODB_URI: service.mongoUri };
    const good = await startWorkerProcess({ ...queue, SLA_POLICY_FILE: secondsPolicy({ acknowledge: '2s' }) });
    const api = await startTestService({ ...queue, COMPONENTS: 'api', SLA_POLICY_FILE: secondsPolicy({ acknowledge: '2s' }) });
    try {
      const id = (await api.api.post('/api/v1/complaints', newComplaintBody(), consumer('ops-6'))).body.id;
      await eventually(async () => ((await api.api.get(`/api/v1/complaints/${id}`, agent)).status === 200 ? true : null));
      await good.kill('SIGTERM');
      // A deployment of code that does not replay this history picks the case up at its next timer.
      const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve('test/fixtures/workflow-variants/unpatched.ts'), failureConverterPath, logger: quiet });
      const bundlePath = path.join(inject('serverDataDir'), `bad-${Date.now()}.js`);
      await writeFile(bundlePath, bundle.code);
      const bad = await startWorkerProcess({ ...queue, WORKFLOW_BUNDLE: bundlePath });
      const row = await eventually(async () => (await stuck()).find((r) => r.id === id && r.reason === 'workflow_task_failing'), 30_000);
      expect(row.suggestedAction).toContain('replay');
      await bad.kill('SIGKILL');
      const fixed = await startWorkerProcess(queue);
      try {
        await eventually(async () => ((await stuck()).some((r) => r.id === id && r.reason === 'workflow_task_failing') ? null : true), 30_000);
        const c = await eventually(async () => {
          const body = (await api.api.get(`/api/v1/complaints/${id}`, agent)).body;
          return body.breaches?.length ? body : null;
        }, 30_000);
        expect(c.breaches[0].stage).toBe('acknowledge');
      } finally {
        await fixed.kill('SIGTERM');
      }
    } finally {
      await api.stop();
    }
  });

  it('replays recorded histories: ok with the current code, non-determinism with an unpatched change', async () => {
    const id = await open('ops-5');
    await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    const replay = await service.api.post('/api/v1/ops/replay', { ids: [id] }, ops);
    expect(replay.body.results).toEqual([expect.objectContaining({ id, result: 'ok' })]);

    const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve('test/fixtures/workflow-variants/unpatched.ts'), failureConverterPath, logger: quiet });
    const bundlePath = path.join(inject('serverDataDir'), 'unpatched-bundle.js');
    await writeFile(bundlePath, bundle.code);
    const run = await cli(['replay', '--ids', id], { MONGODB_URI: service.mongoUri, WORKFLOW_BUNDLE: bundlePath });
    expect(run.code).toBe(1);
    expect(run.out).toContain('nondeterminism');
  });
});

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
