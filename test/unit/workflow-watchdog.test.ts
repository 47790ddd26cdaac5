import { callTimeout, underOneWatchdog } from '@temporalio/worker/lib/workflow/vm-shared';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

/**
 * The SDK's watchdog as patched (decision 037, patches/@temporalio+worker+1.24.0.patch): the calls
 * into a workflow's context made within one activation go without a `vm` timeout of their own,
 * under one for the activation. That a spinning workflow still fails its task through a worker:
 * test/integration/workflow-watchdog.test.ts.
 */
describe('the SDK\'s watchdog per activation (patched)', () => {
  it('times a call outside an activation, and none inside it', () => {
    expect(callTimeout(100)).toBe(100);
    expect(underOneWatchdog(100, () => callTimeout(100))).toBeUndefined();
    // Nested: still under the outer one.
    expect(underOneWatchdog(100, () => underOneWatchdog(100, () => callTimeout(100)))).toBeUndefined();
    expect(callTimeout(100)).toBe(100);
  });

  it('ends an inner call that never returns, with the timeout\'s error, and times calls again after it', () => {
    const workflowContext = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
    let microtaskRan = false;
    let thrown: unknown;
    try {
      underOneWatchdog(200, () => {
        // The inner context's microtasks still run after each inner call.
        vm.runInContext('Promise.resolve().then(() => { globalThis.ran = true; })', workflowContext, { timeout: callTimeout(200) });
        microtaskRan = vm.runInContext('globalThis.ran', workflowContext) === true;
        vm.runInContext('for (;;) {}', workflowContext, { timeout: callTimeout(200) });
      });
    } catch (error) {
      thrown = error;
    }
    expect(microtaskRan).toBe(true);
    expect((thrown as { code?: string }).code).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
    expect(String((thrown as Error).message)).toMatch(/Script execution timed out after 200ms/);
    expect(callTimeout(200)).toBe(200);
    expect(vm.runInContext('1 + 1', workflowContext)).toBe(2);
  });

  it('refuses to run an activation without a timeout', () => {
    expect(() => underOneWatchdog(undefined as unknown as number, () => 1)).toThrow(TypeError);
  });
});
