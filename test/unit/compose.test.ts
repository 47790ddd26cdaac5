import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../runtime/config';
import { searchAttributeFlags } from '../../workflows/search-attributes';

/**
 * No Docker engine runs on the development machines, so the production stack is checked
 * here: against the Compose specification's JSON schema, for what the service needs, and
 * against the files in deploy/temporal/ that `npm run start:cluster` runs too (scripts/cluster/).
 */
// The schema docker compose validates with (compose-go), put there by scripts/install-runtime.sh.
const composeSpec = JSON.parse(readFileSync('.runtime/compose-spec.json', 'utf8'));
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true });

interface Service {
  image?: string;
  build?: unknown;
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, unknown>;
  volumes?: Array<string | { source?: string; target?: string; read_only?: boolean }>;
  depends_on?: Record<string, { condition?: string }>;
  ports?: unknown[];
  healthcheck?: { test?: unknown };
}
const services: Record<string, Service> = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const env = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, String(v)]));
/** The process a service runs: its entrypoint, then its command. */
const commandLine = (name: string): string =>
  [service(name).entrypoint ?? [], service(name).command ?? []].flat().join(' ').replace(/\s+/g, ' ');
/** Bind mounts, host path -> container path (short or long syntax). */
const mounts = (name: string): Map<string, { target: string; readOnly: boolean }> =>
  new Map(
    (service(name).volumes ?? []).map((v) => {
      if (typeof v === 'object') return [v.source ?? '', { target: v.target ?? '', readOnly: v.read_only === true }];
      const [source = '', target = '', mode = ''] = v.split(':');
      return [source, { target, readOnly: mode.split(',').includes('ro') }];
    }),
  );
const mountOf = (name: string, source: string): string => {
  const mount = mounts(name).get(source);
  expect(mount, `${name} mounts ${source}`).toBeDefined();
  expect(mount!.readOnly, `${name} mounts ${source} read-only`).toBe(true);
  return mount!.target;
};
const condition = (name: string, on: string): string | undefined => service(name).depends_on?.[on]?.condition;

const temporalRoles = ['frontend', 'history', 'matching', 'worker'] as const;
const roleService = (role: string) => `temporal-${role}`;
/** Every variable deploy/temporal/config.yaml reads (`{{ env "NAME" | default … }}`). */
const configVariables = new Set(
  [...readFileSync('deploy/temporal/config.yaml', 'utf8').matchAll(/\benv "([A-Z0-9_]+)"/g)].map((m) => m[1]!),
);

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

  it('runs Temporal on PostgreSQL, its UI, MongoDB, and API and worker from one image, with healthchecks', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgresql', 'temporal-schema', ...temporalRoles.map(roleService), 'temporal-namespace',
        'temporal-ui', 'mongodb', 'api', 'worker',
      ]),
    );
    expect(service('postgresql').image).toMatch(/^postgres:/);
    expect(service('api').build).toBe(service('worker').build);
    expect(service('api').image).toBe(service('worker').image);
    for (const name of ['postgresql', 'temporal-frontend', 'temporal-ui', 'mongodb', 'api', 'worker']) {
      expect(service(name).healthcheck?.test, `${name} healthcheck`).toBeTruthy();
    }
    expect(env('api').COMPONENTS).toBe('api');
    expect(env('worker').COMPONENTS).toBe('worker');
  });

  it('runs no development-only Temporal image', () => {
    for (const [name, s] of Object.entries(services)) expect(s.image ?? '', name).not.toMatch(/auto-setup/);
  });

  it('runs one container per Temporal role from the server image and deploy/temporal/config.yaml', () => {
    const serverImages = Object.entries(services).filter(([, s]) => /^temporalio\/server:/.test(s.image ?? ''));
    expect(serverImages.map(([name]) => name).sort()).toEqual(temporalRoles.map(roleService).sort());
    const image = service('temporal-frontend').image;
    for (const role of temporalRoles) {
      const name = roleService(role);
      expect(service(name).image, name).toBe(image);
      const config = mountOf(name, './deploy/temporal/config.yaml');
      const dynamic = mountOf(name, './deploy/temporal/dynamicconfig.yaml');
      const command = commandLine(name);
      expect(command, name).toContain(`exec temporal-server --config-file ${config} `);
      expect([...command.matchAll(/--service (\S+)/g)].map((m) => m[1]), name).toEqual([role]);
      expect(command, name).toMatch(new RegExp(`\\bstart --service ${role}$`));
      expect(env(name).TEMPORAL_DYNAMIC_CONFIG, name).toBe(dynamic);
      expect(condition(name, 'temporal-schema'), name).toBe('service_completed_successfully');
    }
  });

  it('sets the Temporal roles only variables deploy/temporal/config.yaml reads', () => {
    expect(configVariables.size).toBeGreaterThan(10);
    for (const role of temporalRoles) {
      const name = roleService(role);
      const set = [...Object.keys(env(name)), ...[...commandLine(name).matchAll(/export (\w+)/g)].map((m) => m[1]!)];
      // The membership address: the container's own (`$$` escapes compose's interpolation), not
      // config.yaml's loopback default.
      expect(commandLine(name), name).toContain('TEMPORAL_BROADCAST_ADDRESS=$$(hostname -i)');
      expect(set, name).toContain('TEMPORAL_BROADCAST_ADDRESS');
      for (const variable of set) expect([...configVariables], `${name} sets ${variable}`).toContain(variable);
      expect(env(name), name).toEqual(env('temporal-frontend'));
    }
  });

  it('creates the schema with deploy/temporal/setup-schema.sh before any role starts', () => {
    const script = mountOf('temporal-schema', './deploy/temporal/setup-schema.sh');
    expect(commandLine('temporal-schema')).toBe(`sh ${script}`);
    expect(service('temporal-schema').image).toMatch(/^temporalio\/admin-tools:/);
    // The same release as the server: the tool's embedded schema is the one the server expects.
    expect(service('temporal-schema').image!.split(':')[1]).toBe(service('temporal-frontend').image!.split(':')[1]);
    expect(condition('temporal-schema', 'postgresql')).toBe('service_healthy');
    const db = Object.fromEntries(Object.entries(env('temporal-frontend')).filter(([k]) => k.startsWith('TEMPORAL_DB_')));
    expect(Object.keys(db).sort()).toEqual(['TEMPORAL_DB_HOST', 'TEMPORAL_DB_PASSWORD', 'TEMPORAL_DB_PORT', 'TEMPORAL_DB_USER']);
    expect(env('temporal-schema')).toMatchObject(db);
    expect(db.TEMPORAL_DB_HOST).toBe('postgresql');
    expect(db.TEMPORAL_DB_USER).toBe(env('postgresql').POSTGRES_USER);
    expect(db.TEMPORAL_DB_PASSWORD).toBe(env('postgresql').POSTGRES_PASSWORD);
  });

  it('creates the namespace and every search attribute with deploy/temporal/setup-namespace.sh', () => {
    const script = mountOf('temporal-namespace', './deploy/temporal/setup-namespace.sh');
    expect(commandLine('temporal-namespace')).toBe(`sh ${script}`);
    expect(service('temporal-namespace').image).toBe(service('temporal-schema').image);
    const namespaceEnv = env('temporal-namespace');
    expect(namespaceEnv.TEMPORAL_SEARCH_ATTRIBUTES).toBe(searchAttributeFlags().join(' '));
    expect(condition('temporal-namespace', 'temporal-frontend')).toBe('service_healthy');
    for (const role of temporalRoles) expect(condition('temporal-namespace', roleService(role)), role).toBeDefined();
    // Everyone reaches the same frontend and uses the namespace the job creates.
    const frontend = env('temporal-frontend').TEMPORAL_FRONTEND_ADDRESS;
    expect(frontend).toBe('temporal-frontend:7233');
    for (const name of ['temporal-namespace', 'temporal-ui', 'api', 'worker']) expect(env(name).TEMPORAL_ADDRESS, name).toBe(frontend);
    for (const name of ['api', 'worker']) {
      expect(env(name).TEMPORAL_NAMESPACE, name).toBe(namespaceEnv.TEMPORAL_NAMESPACE);
      expect(condition(name, 'temporal-namespace'), name).toBe('service_completed_successfully');
      expect(condition(name, 'mongodb'), name).toBe('service_healthy');
    }
    expect(condition('temporal-ui', 'temporal-frontend')).toBe('service_healthy');
  });

  it('runs MongoDB as the replica set the service connects to', () => {
    const command = [service('mongodb').command ?? []].flat();
    const set = command[command.indexOf('--replSet') + 1];
    expect(command).toContain('--replSet');
    expect(set).toBeTruthy();
    const uri = new URL(env('api').MONGODB_URI!);
    expect(uri.searchParams.get('replicaSet')).toBe(set);
    // The healthcheck initiates that set with the member the service connects to.
    const healthcheck = [service('mongodb').healthcheck?.test ?? []].flat().join(' ');
    expect(healthcheck).toContain(`rs.initiate({_id:'${set}'`);
    expect(healthcheck).toContain(`host:'${uri.host}'`);
  });

  it('passes the service only settings it knows, the same to API and worker', () => {
    const known = Object.keys(configSchema.shape);
    for (const name of ['api', 'worker']) {
      for (const key of Object.keys(env(name))) expect(known).toContain(key);
    }
    const { COMPONENTS: _a, ...apiEnv } = env('api');
    const { COMPONENTS: _w, ...workerEnv } = env('worker');
    expect(apiEnv).toEqual(workerEnv);
  });

  it('keeps Temporal and its UI off the network: only the API is published, the UI on loopback and read-only', () => {
    // Short syntax `[ip:]host:container`, or the long syntax's objects.
    const published = (name: string) =>
      (service(name).ports ?? []).map((p) =>
        typeof p === 'object' && p !== null
          ? { ip: (p as { host_ip?: string }).host_ip, target: String((p as { target: unknown }).target) }
          : { ip: String(p).split(':').length === 3 ? String(p).split(':')[0] : undefined, target: String(p).split(':').at(-1)! },
      );
    for (const role of temporalRoles) expect(service(roleService(role)).ports ?? [], role).toEqual([]);
    expect(Object.values(services).flatMap((s) => (s.ports ?? []).map(String)).join(' ')).not.toContain('7233');
    for (const port of published('temporal-ui')) expect(port.ip, `temporal-ui publishes ${port.target}`).toBe('127.0.0.1');
    expect(env('temporal-ui').TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    for (const name of ['postgresql', 'temporal-schema', 'temporal-namespace', 'mongodb', 'worker']) expect(published(name), name).toEqual([]);
    expect(published('api').map((p) => p.target)).toEqual(['3000']);
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

  it('has the dependency patches in place before the install applies them (decision 030)', () => {
    const lines = readFileSync('Dockerfile', 'utf8').split('\n');
    const install = lines.findIndex((line) => /^RUN npm (install|ci)\b/.test(line));
    const patches = lines.findIndex((line) => /^COPY patches\b/.test(line));
    expect(install).toBeGreaterThan(-1);
    expect(patches).toBeGreaterThan(-1);
    expect(patches).toBeLessThan(install);
  });
});
