import { NativeConnection, Worker, type BundleOptions } from '@temporalio/worker';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PayloadCodec, WorkerDeploymentVersion } from '@temporalio/common';
import type { ComplaintActivities } from './activities';
import type { ErasureActivities } from './activities/erasure';
import { dataConverter, failureConverterPath } from './runtime/data-converter';

const root = path.dirname(fileURLToPath(import.meta.url));
export const workflowsPath = path.join(root, 'workflows', 'index.ts');

/**
 * The domain modules the workflows import, evaluated once per workflow thread and shared by every
 * case it runs (the SDK's `preloadModules`), with what they import: Luxon, and the time zones'
 * memory of offsets (domain/time-zone.ts). Otherwise each case evaluates them anew when it is
 * created or replayed, and its cached workflow holds a copy of their state. Safe because they are
 * pure: their module state is constants and memories of answers, never a case's (decision 029).
 * A shared module's exports are frozen. A unit test keeps the list complete.
 */
export const sharedWorkflowModules = ['case-limits', 'case-state', 'lifecycle', 'personal-data', 'reopen', 'timeline-window']
  .map((name) => path.join(root, 'domain', `${name}.ts`));

/** How every worker, test and benchmark bundles the workflows (`bundleWorkflowCode`). */
export const workflowBundleOptions = {
  workflowsPath,
  failureConverterPath,
  preloadModules: sharedWorkflowModules,
} satisfies BundleOptions;

export interface ComplaintWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ComplaintActivities & ErasureActivities;
  /** Encrypts payloads (personal data) before they reach the server. */
  codec: PayloadCodec;
  /** A prebuilt bundle (tests build it once per run); bundled from source otherwise. */
  workflowBundle?: { codePath: string };
  /** Workflows kept in memory between tasks: the bound on the worker's memory. */
  maxCachedWorkflows?: number;
  /** Threads running workflow code (each its own V8 context and heap); `defaultWorkflowThreads` unless set. */
  workflowThreads?: number;
  /** Workflow tasks the worker holds at once; `defaultWorkflowTaskSlots` unless set (at most `maxCachedWorkflows` when given). */
  workflowTaskSlots?: number;
  /** Worker Versioning: the deployment and build this worker belongs to (decision 015). */
  deploymentVersion?: WorkerDeploymentVersion;
}

/**
 * Two workflow threads, not the SDK's one: a burst of deadlines spends ≈ 8 % less CPU per breach
 * and waits ≈ 15 % less behind the others; peak intake is lower (decision 033).
 */
const defaultWorkflowThreads = 2;

/**
 * Workflow tasks held at once, where the SDK's default is 40: a task holds its slot while the
 * record runs inside it (decisions 009, 017), so with 40 a burst of more cases than that waited for
 * slots; with 200, the last of 200 deadlines due together was noticed after
 * 2.3–3.3 s instead of 3.7–4.3 s (decision 038).
 */
const defaultWorkflowTaskSlots = 200;

/** No more than the cached workflows: the SDK's core never holds more tasks than that (a task's workflow stays cached). */
const workflowTaskSlotsOf = (options: ComplaintWorkerOptions): number => {
  const slots = options.workflowTaskSlots ?? defaultWorkflowTaskSlots;
  const cached = options.maxCachedWorkflows;
  return cached ? Math.max(2, Math.min(slots, cached)) : slots;
};

/** The worker that runs complaint workflows, erasures and the retention sweep, and their activities. */
export function createComplaintWorker(options: ComplaintWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: dataConverter(options.codec),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    workflowThreadPoolSize: options.workflowThreads ?? defaultWorkflowThreads,
    maxConcurrentWorkflowTaskExecutions: workflowTaskSlotsOf(options),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath, bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules } }),
    ...(options.deploymentVersion
      ? {
          // Auto-upgrade: a case moves to the current version at its next task, which patches
          // keep replayable; pinning would keep weeks-long cases on old workers (decision 015).
          workerDeploymentOptions: {
            useWorkerVersioning: true,
            version: options.deploymentVersion,
            defaultVersioningBehavior: 'AUTO_UPGRADE',
          },
        }
      : {}),
  });
}

// `node --import tsx worker.ts` runs a worker alone (the compose file's worker service).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.COMPONENTS = 'worker';
  // Not awaited: main imports this module back (through runtime/service), and a top-level
  // await here would leave the two waiting on each other.
  void import('./main');
}
