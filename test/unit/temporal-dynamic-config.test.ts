import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { temporalDynamicConfig } from '../../runtime/embedded';

// The production server's dynamic config (compose, the cluster) and the embedded dev server's.
const production = parse(readFileSync('deploy/temporal/dynamicconfig.yaml', 'utf8')) as Record<string, Array<{ value: unknown }>>;
const embedded = Object.fromEntries(temporalDynamicConfig.map((kv) => kv.split('=')).map(([key, value]) => [key!, JSON.parse(value!)]));
// Always on in server 1.32, where it is no longer a key (the YAML's header says so).
const notAKeyInServer = ['frontend.enableExecuteMultiOperation'];

describe('Temporal dynamic config', () => {
  it('gives the production server every setting the embedded one gets, with the same value', () => {
    const expected = Object.entries(embedded).filter(([key]) => !notAKeyInServer.includes(key));
    expect(Object.fromEntries(Object.entries(production).map(([key, [setting]]) => [key, setting?.value]))).toEqual(Object.fromEntries(expected));
  });

  it('sends a change\'s record back to its worker with the task\'s completion (eager activities)', () => {
    expect(embedded['system.enableActivityEagerExecution']).toBe(true);
    expect(production['system.enableActivityEagerExecution']).toEqual([{ value: true }]);
  });
});
