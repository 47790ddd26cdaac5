import { bundleWorkflowCode } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedWorkflowModules, workflowBundleOptions } from '../../worker';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** The domain modules the workflow files import values from (imports of types only are erased). */
function domainValueImports(): string[] {
  const dir = path.dirname(workflowBundleOptions.workflowsPath);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.[cm]?ts$/.test(file));
  const statement = /\b(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*['"]((?:\.\.\/)+domain\/[^'"]+?)(?:\.[cm]?[jt]s)?['"]/g;
  const imported = files.flatMap((file) =>
    [...readFileSync(path.join(dir, file), 'utf8').matchAll(statement)]
      .filter(([, typeOnly, names]) => !typeOnly && !/^\{\s*(type\s+[\w$]+(\s+as\s+[\w$]+)?\s*,?\s*)+\}$/.test(names!))
      .map(([, , , from]) => path.resolve(dir, path.dirname(file), `${from}.ts`)));
  return [...new Set(imported)].sort();
}

/**
 * What the workflow sandbox loads. Every cached workflow pays for the bundle's module state, so
 * a schema library pulled in by one value import (zod, through domain/complaint-schema.ts) cost
 * the worker ≈ 1.5 MB per cached case and a workflow thread out of memory in the benchmark; the
 * domain modules and Luxon are evaluated once per workflow thread (decision 029).
 */
describe('workflow bundle', () => {
  it('holds the workflow code and its pure domain rules, without zod or the schema module', { timeout: 60_000 }, async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet });
    const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)].map((m) => m[1]!);
    expect(modules).toContain('./workflows/complaint.ts');
    expect(modules).toContain('./domain/lifecycle.ts');
    expect(modules.filter((m) => m.includes('node_modules/zod/') || m.endsWith('/complaint-schema.ts'))).toEqual([]);

    // The bundle's preload hook (run once per workflow thread, before any case) loads the shared
    // modules, which bring Luxon's ES build: the one the domain imports.
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    for (const file of sharedWorkflowModules) {
      expect(preload).toContain(`"./domain/${path.basename(file)}"`);
    }
    expect(code).toMatch(/\/\*\*\*\/ "\.\/node_modules\/luxon\/build\/es6\/luxon\.mjs"/);
    expect(modules.filter((m) => m.includes('node_modules/luxon/build/node'))).toEqual([]);
  });

  it('shares every domain module the workflows import', () => {
    const imported = domainValueImports();
    expect(imported).toContain(path.resolve('domain/lifecycle.ts'));
    expect([...sharedWorkflowModules].sort()).toEqual(imported);
  });
});
