import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { temporalDynamicConfig } from '../../runtime/embedded';

// The production server's dynamic config (compose, the cluster) and the embedded dev server's.
const production = parse(readFileSync('deploy/temporal/dynamicconfig.yaml', 'utf8')) as Record<string, Array<{ value: unknown }>>;
// KEY=JSON_VALUE, split at the first '=' as the CLI does.
const embedded = Object.fromEntries(temporalDynamicConfig.map((kv) => [kv.slice(0, kv.indexOf('=')), JSON.parse(kv.slice(kv.indexOf('=') + 1))]));
// Always on in server 1.32, where it is no longer a key (the YAML's header says so).
const notAKeyInServer = ['frontend.enableExecuteMultiOperation'];

describe('Temporal dynamic config', () => {
  it('gives the production server the settings the embedded one gets, the same values, for every namespace', () => {
    const expected = Object.entries(embedded).filter(([key]) => !notAKeyInServer.includes(key));
    // One unconstrained value each: a namespace-scoped entry would not be the embedded setting.
    for (const [key, settings] of Object.entries(production)) expect(settings.map((s) => Object.keys(s)), key).toEqual([['value']]);
    expect(Object.fromEntries(Object.entries(production).map(([key, [setting]]) => [key, setting?.value]))).toEqual(Object.fromEntries(expected));
  });

  it('sends a change\'s record back to its worker with the task\'s completion (eager activities)', () => {
    expect(embedded['system.enableActivityEagerExecution']).toBe(true);
    expect(production['system.enableActivityEagerExecution']).toEqual([{ value: true }]);
  });
});
