import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../runtime/config';
import { complaintSearchAttributes } from '../../workflows/search-attributes';

/**
 * No Docker engine runs on the development machines, so the production stack is checked
 * here: against the Compose specification's JSON schema, and for what the service needs.
 */
// The schema docker compose validates with (compose-go), put there by scripts/install-runtime.sh.
const composeSpec = JSON.parse(readFileSync('.runtime/compose-spec.json', 'utf8'));
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true });

describe('docker-compose.yml', () => {
  it('conforms to the Compose specification schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(composeSpec);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check catches a broken file', () => {
    const validate = new Ajv2020({ strict: false }).compile(composeSpec);
    expect(validate({ services: { api: { build: '.', ports: 3000, healthcheck: { interval: 10 } } } })).toBe(false);
  });

  it('runs Temporal on PostgreSQL, its UI, MongoDB, and API and worker from one image, all with healthchecks', () => {
    const services = compose.services;
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'mongodb', 'api', 'worker']),
    );
    expect(services.temporal.environment.DB).toMatch(/^postgres/);
    expect(services.api.build).toBe(services.worker.build);
    expect(services.api.image).toBe(services.worker.image);
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'mongodb', 'api', 'worker']) {
      expect(services[name].healthcheck?.test, `${name} healthcheck`).toBeTruthy();
    }
    expect(services.api.environment.COMPONENTS).toBe('api');
    expect(services.worker.environment.COMPONENTS).toBe('worker');
  });

  it('passes the service only settings it knows, the same to API and worker', () => {
    const known = Object.keys(configSchema.shape);
    for (const name of ['api', 'worker']) {
      for (const key of Object.keys(compose.services[name].environment)) expect(known).toContain(key);
    }
    const { COMPONENTS: _a, ...apiEnv } = compose.services.api.environment;
    const { COMPONENTS: _w, ...workerEnv } = compose.services.worker.environment;
    expect(apiEnv).toEqual(workerEnv);
  });

  it('keeps Temporal and its UI off the network: only the API is published, the UI on loopback and read-only', () => {
    const services: Record<string, { ports?: unknown[] }> = compose.services;
    // Short syntax `[ip:]host:container`, or the long syntax's objects.
    const published = (name: string) =>
      (services[name]!.ports ?? []).map((p) =>
        typeof p === 'object' && p !== null
          ? { ip: (p as { host_ip?: string }).host_ip, target: String((p as { target: unknown }).target) }
          : { ip: String(p).split(':').length === 3 ? String(p).split(':')[0] : undefined, target: String(p).split(':').at(-1)! },
      );
    expect(services.temporal!.ports ?? []).toEqual([]);
    expect(Object.values(services).flatMap((s) => (s.ports ?? []).map(String)).join(' ')).not.toContain('7233');
    for (const port of published('temporal-ui')) expect(port.ip, `temporal-ui publishes ${port.target}`).toBe('127.0.0.1');
    expect(compose.services['temporal-ui'].environment.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    for (const name of ['postgresql', 'mongodb', 'worker']) expect(published(name), name).toEqual([]);
    expect(published('api').map((p) => p.target)).toEqual(['3000']);
  });

  it('registers every search attribute the workflows set', () => {
    const command: string = compose.services['temporal-setup'].command.join(' ');
    for (const key of Object.values(complaintSearchAttributes)) expect(command).toContain(`--name ${key.name}`);
  });
});

describe('Dockerfile', () => {
  it('copies every folder the service reads at run time', () => {
    const copied = readFileSync('Dockerfile', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('COPY '))
      .flatMap((line) => line.slice(5).split(/\s+/).slice(0, -1));
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'main.ts', 'worker.ts', 'activities', 'api', 'domain', 'identity', 'runtime', 'policies', 'workflows']) {
      expect(copied, needed).toContain(needed);
    }
  });
});
