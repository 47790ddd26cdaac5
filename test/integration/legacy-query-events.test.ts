import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QUERY_AHEAD_OF_WORKFLOW_TASK } from '@temporalio/worker/lib/workflow/vm-shared';
import { queryAgainInterceptor } from '../../runtime/query-again';
import { installTestRuntime } from '../support/service';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * How long a task (and a query) waits on a worker's sticky queue before it goes to the shared
 * one: longer than the patch's 5 s by which a task's time is old (10 s by default).
 */
const stickyTimeoutMs = 6000;
// @temporalio/proto is CommonJS: its namespace comes through the default import under ESM.
const { EventType } = proto.temporal.api.enums.v1;

/**
 * A query the server sends straight to a worker (no workflow task was pending when it was
 * asked) carries the history as it stands when a worker takes it: events that arrived
 * meanwhile, which no workflow task has processed, come with it, and Core applies them to the
 * cached run to answer. The next workflow task then finds them applied and carries only its
 * update; replayed, the same task applies the update first, and the commands come in another
 * order (TMPRL1100, seen after worker kills). The worker is patched to refuse such a query, so
 * that Core drops the run and its next task runs from the history as a replay does; the
 * service's client asks again (decision 031).
 */
describe('a query that brings events no workflow task has processed (real dev server)', () => {
  let bundlePath: string;
  let workflowBundle: { code: string };
  let connection: NativeConnection;
  let client: Client;
  /** What each query attempt failed with, under the service's own interceptor. */
  const refusals: string[] = [];
  let firstWorker: ChildProcess | undefined;

  beforeAll(async () => {
    installTestRuntime();
    workflowBundle = await bundleWorkflowCode({ workflowsPath: path.resolve('test/fixtures/legacy-query/events-then-update.ts'), logger: silent });
    bundlePath = path.join(mkdtempSync(path.join(os.tmpdir(), 'legacy-query-')), 'bundle.js');
    writeFileSync(bundlePath, workflowBundle.code);
    connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const countRefusals: WorkflowClientInterceptor = {
      query: (input, next) => next(input).catch((err: Error) => {
        refusals.push(err.message);
        throw err;
      }),
    };
    client = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
      interceptors: { workflow: [queryAgainInterceptor, countRefusals] },
    });
  });
  afterAll(async () => {
    firstWorker?.kill('SIGKILL');
    await client?.connection.close();
    await connection?.close();
  });

  /** The first workflow worker, in its own process; resolves once it polls. */
  async function startFirstWorker(taskQueue: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/legacy-query/worker.ts'], {
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE: bundlePath, STICKY_TIMEOUT: `${stickyTimeoutMs}ms` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`first worker exited (${code})`)));
    });
    return child;
  }

  /**
   * The situation, as the server usually makes it (otherwise set up again): the first worker is
   * killed while the activity runs; a query waits on its sticky queue; the activity completes and
   * an update is sent meanwhile; a second worker takes the query (with the activity's result),
   * then the task (with the update). The order is
   * the server's timeouts', not the test's speed: the second worker polls before either comes.
   */
  async function queryThatBringsEvents(args: { cancelFirst?: boolean }) {
    for (let attempt = 1; !(await situation(args)); attempt++) {
      // Under load the server once sent the query with the update's task instead, as to a
      // worker without a cache (its sticky queue deemed unavailable): nothing to refuse then.
      if (attempt === 3) throw new Error('in three attempts the server never sent the query on its own');
      console.warn('the server sent the query with the next workflow task this time: set up again');
    }
  }

  /** One attempt: false if the server did not send the query on its own (the situation did not arise). */
  async function situation(args: { cancelFirst?: boolean }): Promise<boolean> {
    const taskQueue = `legacy-query-${randomUUID()}`;
    let started!: () => void;
    const activityStarted = new Promise<void>((r) => (started = r));
    let releaseActivity!: () => void;
    const released = new Promise<void>((r) => (releaseActivity = r));
    // Activities on a worker of their own, alive throughout.
    const activities = await Worker.create({
      connection, taskQueue,
      activities: {
        release: async () => { started(); await released; },
        spin: async () => { for (;;) { Context.current().heartbeat(); await Context.current().sleep(100); } },
      },
    });
    const activitiesRun = activities.run();
    try {
      firstWorker = await startFirstWorker(taskQueue);
      const handle = await client.workflow.start('eventsThenUpdate', { workflowId: `legacy-query-${randomUUID()}`, taskQueue, args: [args] });
      await activityStarted;
      // A cancelled activity: its cancellation is confirmed in a task the worker completes alone.
      for (let confirmed = !args.cancelFirst; !confirmed; await pause(100)) {
        const events = (await handle.fetchHistory()).events ?? [];
        const cancelled = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED);
        confirmed = cancelled >= 0 && events.slice(cancelled).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      }
      // The worker dies; the run's sticky queue stays, with nobody polling it.
      firstWorker.kill('SIGKILL');
      // Nothing pending: the query goes straight to the sticky queue, and after the sticky timeout to the shared one.
      const query = handle.query<string[]>('seen');
      await pause(stickyTimeoutMs / 4);
      // The activity completes meanwhile: a task is scheduled on the dead sticky queue; an update comes.
      releaseActivity();
      const update = handle.executeUpdate<number, [string]>('note', { args: ['noted'] });
      // A worker with a cache polls the shared queue: the query comes to it at the sticky timeout
      // (since the kill), the task 1.5 s later (since the activity's result).
      const refusedBefore = refusals.length;
      const second = await Worker.create({ connection, taskQueue, workflowBundle });
      let arose = true;
      await second.runUntil(async () => {
        // The update is applied in the task that also brings the activity's result, as a replay applies it.
        expect(await update).toBe(1);
        const answer = await query;
        // Answered with that task and never refused: the server delivered the query with the
        // task (a query alone that brought the result would answer without the update, unpatched).
        if (refusals.length === refusedBefore && JSON.stringify(answer) === JSON.stringify(['noted', 'released'])) {
          arose = false;
          return;
        }
        // The query was refused once (it brought the activity's result), then answered with that task.
        expect(answer).toEqual(['noted', 'released']);
        expect(refusals.slice(refusedBefore)).toEqual([expect.stringContaining(QUERY_AHEAD_OF_WORKFLOW_TASK)]);
        // A query that brings no new event is answered at once, by the cached run.
        expect(await handle.query<string[]>('seen')).toEqual(['noted', 'released']);
        expect(refusals).toHaveLength(refusedBefore + 1);
      });
      if (!arose) {
        await handle.terminate();
        return false;
      }
      // A worker that has never seen the run replays it to answer: not refused either.
      const third = await Worker.create({ connection, taskQueue, workflowBundle });
      await third.runUntil(async () => {
        expect(await handle.query<string[]>('seen')).toEqual(['noted', 'released']);
      });
      expect(refusals).toHaveLength(refusedBefore + 1);
      await handle.terminate();
      const history = await handle.fetchHistory();
      expect(history.events?.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
      const replay = await Worker.runReplayHistory({ workflowBundle, replayName: 'legacy-query' }, history).then(() => 'ok', (err: Error) => err.message);
      expect(replay).toBe('ok');
      return true;
    } finally {
      activities.shutdown();
      await activitiesRun;
    }
  }

  it('is refused and asked again; the task after it runs from the history, which replays', { timeout: 120_000 }, async () => {
    await queryThatBringsEvents({});
  });

  it('is refused too after a task the workflow thread never saw (an activity\'s cancellation confirmed)', { timeout: 120_000 }, async () => {
    await queryThatBringsEvents({ cancelFirst: true });
  });
});

