import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePorts, portsFrom, temporalEnvironment, type ClusterPorts } from '../../scripts/cluster/topology';

const all = (ports: ClusterPorts): number[] => {
  const out: number[] = [];
  const walk = (v: unknown) => (typeof v === 'number' ? out.push(v) : Object.values(v as object).forEach(walk));
  walk(ports);
  return out;
};

describe('the cluster topology (scripts/cluster/topology.ts)', () => {
  it('gives every process its own ports, the APIs theirs from PORT', () => {
    const ports = portsFrom(7400, 3000);
    expect(new Set(all(ports)).size).toBe(all(ports).length);
    expect(ports.postgres).toBe(7400);
    expect(ports.history).toHaveLength(2);
    expect(ports.apis.map((a) => a.http)).toEqual([3000, 3001]);
    expect(ports.temporalMetrics).toHaveLength(5);
  });

  it('finds free ports below 32768, where Temporal can store a membership port (smallint)', async () => {
    const ports = await freePorts();
    expect(Math.max(...all(ports))).toBeLessThan(32_768);
    expect(new Set(all(ports)).size).toBe(all(ports).length);
  });

  it('sets only variables the server config template reads', () => {
    const template = readFileSync('deploy/temporal/config.yaml', 'utf8');
    expect(template.slice(0, 1024)).toContain('# enable-template');
    const read = new Set([...template.matchAll(/env "([A-Z_]+)"/g)].map((m) => m[1]));
    const set = Object.keys(temporalEnvironment({ ports: portsFrom(7400, 3000), repoDir: '.' }));
    expect(set.length).toBeGreaterThan(10);
    expect(set.filter((name) => !read.has(name))).toEqual([]);
  });
});
