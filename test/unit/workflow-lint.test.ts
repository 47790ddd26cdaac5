import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rule that keeps workflow code deterministic actually fires. */
describe('workflow lint rule', () => {
  const eslint = new ESLint();
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.map((m) => m.ruleId);
  };

  it('forbids Node built-ins, I/O modules and activity code in workflows', async () => {
    const rules = await lint(
      'workflows/example.ts',
      [
        "import fs from 'node:fs';",
        "import http from 'http';",
        "import mongoose from 'mongoose';",
        "import { createActivities } from '../activities';",
        'export const used = [fs, http, mongoose, createActivities];',
      ].join('\n'),
    );
    expect(rules.filter((r) => r === '@typescript-eslint/no-restricted-imports')).toHaveLength(4);
  });

  it('allows type-only imports of activities and the workflow SDK', async () => {
    const rules = await lint(
      'workflows/example.ts',
      "import type { ComplaintActivities } from '../activities';\nimport { sleep } from '@temporalio/workflow';\nexport type A = ComplaintActivities;\nexport const s = sleep;\n",
    );
    expect(rules).toEqual([]);
  });

  it('does not restrict activities', async () => {
    expect(await lint('activities/example.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toEqual([]);
  });
});
