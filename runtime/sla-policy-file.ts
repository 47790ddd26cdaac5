import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Severity } from '../domain/complaint-schema';
import { parseSlaPolicy, resolveSlaPolicy, SlaPolicyError, type ResolvedSlaPolicy, type SlaPolicyFile } from '../domain/sla-policy';

/** The policy used when SLA_POLICY_FILE is unset: domain.md's limits on the 2026 China calendar. */
export const defaultPolicyPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'policies', 'default.json');

export interface SlaPolicySource {
  path: string;
  version: string;
  file: SlaPolicyFile;
  /** The policy a new complaint of this severity gets, copied into its workflow. */
  forSeverity(severity: Severity): ResolvedSlaPolicy;
}

/** Reads and validates the policy at start-up; a bad file stops the service with the reason. */
export function loadSlaPolicy(file: string | undefined): SlaPolicySource {
  const policyPath = path.resolve(file ?? defaultPolicyPath);
  let text: string;
  try {
    text = readFileSync(policyPath, 'utf8');
  } catch (err) {
    throw new SlaPolicyError(`SLA_POLICY_FILE ${policyPath} cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SlaPolicyError(`SLA_POLICY_FILE ${policyPath} is not JSON: ${(err as Error).message}`);
  }
  const parsed = parseSlaPolicy(json, `SLA_POLICY_FILE ${policyPath}`);
  // Without an explicit version, the content names it: a changed file is a new version.
  const version = parsed.version ?? `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  const cache = new Map<Severity, ResolvedSlaPolicy>();
  return {
    path: policyPath,
    version,
    file: parsed,
    forSeverity(severity) {
      let resolved = cache.get(severity);
      if (!resolved) cache.set(severity, (resolved = resolveSlaPolicy(parsed, severity, version)));
      return resolved;
    },
  };
}
