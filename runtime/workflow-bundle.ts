import { failureConverterPath } from './data-converter';

/**
 * Modules the worker evaluates once in its shared V8 context instead of once per workflow.
 * luxon (the working-day calendar's dates) is most of the workflow code's weight, and each copy
 * kept its own Intl formatters (native memory) and cost a module evaluation per new or replayed
 * workflow. It holds no per-workflow state: its caches are keyed by zone and locale.
 */
export const preloadModules = ['luxon'];

/** Options for `bundleWorkflowCode`: the same bundle for workers, replays, tests and the benchmark. */
export const workflowBundleOptions = (workflowsPath: string) => ({ workflowsPath, failureConverterPath, preloadModules });
