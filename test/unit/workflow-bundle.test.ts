import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { failureConverterPath } from '../../runtime/data-converter';
import { workflowsPath } from '../../worker';

/**
 * What the workflow sandbox loads. Every cached workflow pays for the bundle's module state, so
 * a schema library pulled in by one value import (zod, through domain/complaint-schema.ts) cost
 * the worker ≈ 1.5 MB per cached case and a workflow thread out of memory in the benchmark.
 */
describe('workflow bundle', () => {
  it('holds the workflow code and its pure domain rules, without zod or the schema module', { timeout: 60_000 }, async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
    const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)].map((m) => m[1]!);
    expect(modules).toContain('./workflows/complaint.ts');
    expect(modules).toContain('./domain/lifecycle.ts');
    expect(modules.filter((m) => m.includes('node_modules/zod/') || m.endsWith('/complaint-schema.ts'))).toEqual([]);
  });
});
