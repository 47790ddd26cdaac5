import { GlobalHandlers } from '@temporalio/worker/lib/workflow/vm-shared';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

/**
 * The SDK's promise hook as patched (decision 030, patches/@temporalio+worker+1.24.0.patch): a
 * promise made in a workflow's context gets its stack kept as call sites, converted through the
 * source maps only when read. Without the patch (an install that did not apply it) every promise
 * is converted at once. That the answers read as the SDK's own: test/integration/workflow-stack-trace.test.ts.
 */
describe('the SDK\'s promise stacks (patched)', () => {
  it('are kept for every promise a workflow makes, and converted only when a query reads them', () => {
    const handlers = new GlobalHandlers();
    handlers.install();
    try {
      let conversions = 0;
      const consumers = handlers.bundleFilenameToSourceMapConsumer;
      const lookUp = consumers.get.bind(consumers);
      consumers.get = (file: string) => {
        conversions++;
        return lookUp(file);
      };
      const store = { promiseToStack: new Map<unknown, { formatted: string }>(), childToParent: new Map() };
      const context = vm.createContext({ __TEMPORAL_ACTIVATOR__: { promiseStackStore: store, info: { runId: 'run-1' } } });
      vm.runInContext('function waitHere() { return new Promise(() => {}); }\nglobalThis.waiting = [waitHere(), waitHere()];', context, { filename: 'workflow.js' });

      const stacks = [...store.promiseToStack.values()];
      expect(stacks).toHaveLength(2);
      expect(conversions).toBe(0);
      expect(stacks[0]!.formatted).toMatch(/^ {4}at new Promise \(<anonymous>\)\n {4}at waitHere \(workflow\.js:1:\d+\)\n {4}at workflow\.js:2:\d+$/);
      expect(conversions).toBeGreaterThan(0);
      // Converted once: read again, the same text.
      const afterFirst = conversions;
      expect(stacks[0]!.formatted).toBe(stacks[0]!.formatted);
      expect(conversions).toBe(afterFirst);
    } finally {
      handlers.uninstall();
    }
  });
});
