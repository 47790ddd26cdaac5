import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Test settings that global setups use too: nothing here imports vitest, which a global setup
 * may not load.
 */
export const testJwtSecret = 'test-secret-0123456789abcdef';

/** Writes an SLA policy file for a test service (SLA_POLICY_FILE). */
export function writePolicyFile(policy: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sla-')), 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  return file;
}
