import { bundleWorkflowCode } from '@temporalio/worker';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { failureConverterPath } from '../../runtime/data-converter';
import { replayHistories } from '../../services/ops';
import { loadHistoryFile, loadHistoryFixtures } from '../support/history-fixtures';
import { installTestRuntime, replayWithCurrentCode, testDataConverter } from '../support/service';

/**
 * Recorded histories of every path of the workflow (scripts/record-histories.ts) replay
 * against the current code on every test run: a change that breaks a running case's
 * history fails CI. A change behind `patched()` replays; the same change without it does not.
 */
describe('replay of recorded histories', () => {
  const fixtures = loadHistoryFixtures();
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
  const variant = (name: string) =>
    bundleWorkflowCode({ workflowsPath: path.resolve(`test/fixtures/workflow-variants/${name}.ts`), failureConverterPath, logger: quiet });
  const replay = async (bundle: { code: string } | { codePath: string }) => {
    installTestRuntime();
    return replayHistories(bundle, testDataConverter(), fixtures.map((f) => ({ workflowId: f.workflowId, runId: f.name, history: f.history })));
  };

  it('covers every path: happy, each breach, rejection loop, withdraw, revisit, continue-as-new, a long timeline', () => {
    const names = fixtures.map((f) => f.name.replace(/\.run\d+$/, ''));
    for (const path of ['happy-path', 'breach-acknowledge-and-resolve', 'breach-investigate', 'breach-plan', 'breach-feedback', 'rejection-loop', 'withdraw', 'revisit-unanswered', 'continue-as-new', 'long-timeline']) {
      expect(names).toContain(path);
    }
    expect(fixtures.filter((f) => f.name.startsWith('continue-as-new')).length).toBeGreaterThan(1);
  });

  it('replays every recorded history with the current workflow code', async () => {
    const results = await replay({ codePath: inject('workflowBundlePath') });
    expect(results.filter((r) => r.result !== 'ok')).toEqual([]);
    expect(results).toHaveLength(fixtures.length);
  });

  it('replays them with a change behind patched(), and reports non-determinism without it', async () => {
    const [patched, unpatched] = await Promise.all([variant('patched'), variant('unpatched')]);
    expect((await replay(patched)).every((r) => r.result === 'ok')).toBe(true);
    const broken = await replay(unpatched);
    expect(broken.every((r) => r.result === 'nondeterminism')).toBe(true);
    expect(broken[0]!.error).toMatch(/[Nn]ondetermin/);
  });

  it('pins the SDK issue of a cold worker: the history it wrote does not replay (docs/reliability.md)', async () => {
    // Written in the worker-crash fault test: the payment's completion and the rating in one task.
    const history = loadHistoryFile('test/fixtures/sdk-issues/cold-worker-update-order.json');
    const result = await replayWithCurrentCode('cold-worker-update-order', history);
    // When an SDK upgrade replays it, the runbook's reset and the fault test's repair can go.
    expect(result.result).toBe('nondeterminism');
    expect(result.error).toMatch(/Update machine does not handle this event: HistoryEvent\(id: 65, UpsertWorkflowSearchAttributes\)/);
  });
});
