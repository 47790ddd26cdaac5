import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import { agent, consumer, department, installTestRuntime, testDataConverter } from '../support/service';
import { bundleBuildB } from './build-b/bundle';
import { caseDriver } from './support/cases';
import { clusterInfo, clusterTemporal, control } from './support/control';

/**
 * A deploy under running cases (decision 015). Build A runs; build B changes the workflow
 * behind a patch. B is rolled out worker by worker with Worker Versioning: B's workers join the
 * deployment, B becomes the current version, A's workers drain — while timers fire and updates
 * keep coming. A never sees a history B wrote, B replays every history A wrote: no
 * non-determinism error, and every case finishes on B, the acknowledgements B took marked so.
 */
describe('deploying build B worker by worker under running cases', () => {
  const cases = caseDriver(`deploy-${Date.now()}`);
  let temporal: Client;
  let bundleB: string;
  beforeAll(async () => {
    installTestRuntime();
    temporal = await clusterTemporal();
    bundleB = await bundleBuildB(clusterInfo().dataDir);
  });
  afterAll(async () => {
    await temporal?.connection.close();
  });

  it('moves every case to B with zero non-determinism errors', async () => {
    // On build A: cases acknowledged before the deploy, and cases waiting for it.
    const before = await Promise.all(Array.from({ length: 8 }, (_, i) => cases.open(`dp-before-${i}`)));
    await Promise.all(before.map((id) => cases.act(id, 'acknowledge', {}, agent)));
    const after = await Promise.all(Array.from({ length: 8 }, (_, i) => cases.open(`dp-after-${i}`)));

    // Traffic throughout the rollout: findings on the acknowledged cases, and urgent cases whose
    // 10 s acknowledgement timers fire mid-deploy.
    const traffic = (async () => {
      const urgent = await Promise.all(Array.from({ length: 6 }, (_, i) => cases.open(`dp-urgent-${i}`, { severity: 'urgent' })));
      for (const id of before) {
        await cases.act(id, 'findings', { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' }, department('quality'));
        await new Promise((r) => setTimeout(r, 500));
      }
      return urgent;
    })();

    // The rollout: one worker at a time, then the APIs (their replay tool runs the new code too).
    await control.replace('worker-1', { WORKER_BUILD_ID: 'build-b', WORKFLOW_BUNDLE: bundleB });
    await control.setCurrentVersion('build-b');
    await control.replace('worker-2', { WORKER_BUILD_ID: 'build-b', WORKFLOW_BUNDLE: bundleB });
    await control.replace('api-1', { WORKFLOW_BUNDLE: bundleB });
    await control.replace('api-2', { WORKFLOW_BUNDLE: bundleB });
    const urgent = await traffic;

    // After the deploy: the waiting cases are acknowledged on B; everything runs to the end.
    await Promise.all(after.map((id) => cases.act(id, 'acknowledge', {}, agent)));
    await Promise.all([...before, ...after].map(async (id) => {
      if (after.includes(id)) await cases.act(id, 'findings', { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' }, department('quality'));
      await cases.act(id, 'plan', { remedy: 'refund', description: 'Refund', amount: 10 }, agent);
      await cases.act(id, 'feedback', { accepted: true }, consumer(after.includes(id) ? `dp-after-${after.indexOf(id)}` : `dp-before-${before.indexOf(id)}`));
      await cases.until(id, 'resolved');
    }));
    // The urgent cases missed their acknowledgement during the deploy; acknowledged late, on B.
    for (const id of urgent) {
      await expect.poll(async () => (await cases.api.next().get(`/api/v1/complaints/${id}`, agent)).body?.breaches?.length, { timeout: 60_000 }).toBe(1);
    }
    await Promise.all(urgent.map((id) => cases.act(id, 'acknowledge', {}, agent)));

    const all = [...before, ...after, ...urgent];
    const histories = await Promise.all(all.map((id) => temporal.workflow.getHandle(complaintWorkflowId(id)).fetchHistory()));
    // Zero failed workflow tasks of any kind, non-determinism included.
    const failedTasks = histories.flatMap((h, i) =>
      (h.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).map((e) => `${all[i]}: ${e.workflowTaskFailedEventAttributes?.failure?.message}`),
    );
    expect(failedTasks).toEqual([]);
    // The intended code: acknowledgements A took carry no mark, those B took do.
    const marks = await Promise.all(all.map(async (id) => (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).memo?.acknowledgedBy));
    expect(marks.slice(0, before.length)).toEqual(before.map(() => undefined));
    expect(marks.slice(before.length)).toEqual([...after, ...urgent].map(() => 'build-b'));
    // Every case has moved to B's version of the deployment (at its first task after the switch).
    for (const id of all) {
      const info = (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect(JSON.stringify(info), id).toContain('build-b');
    }
    // And B's code replays every history, A's and its own.
    const replayed = Worker.runReplayHistories(
      { workflowBundle: { codePath: bundleB }, dataConverter: testDataConverter(clusterInfo().mongoUri), replayName: 'deploy-drill' },
      histories.map((history, i) => ({ workflowId: complaintWorkflowId(all[i]!), history })),
    );
    const replayErrors: string[] = [];
    for await (const result of replayed) if (result.error) replayErrors.push(`${result.workflowId}: ${result.error.message}`);
    expect(replayErrors).toEqual([]);
  });
});
