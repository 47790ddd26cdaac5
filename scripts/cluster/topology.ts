import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import net from 'node:net';
import { portIsOpen } from '../../runtime/processes';
import { searchAttributeFlags } from '../../workflows/search-attributes';
import { SupervisedProcess, type ProcessSpec } from './supervised-process';

const run = promisify(execFile);

/**
 * The production topology on one machine (issue 20): PostgreSQL; the Temporal server as one
 * process per role — frontend, matching, worker and two history processes — from
 * deploy/temporal/config.yaml, the file docker-compose.yml runs too; FerretDB on PostgreSQL;
 * and the service as worker and API processes (`COMPONENTS=worker|api`). Used by
 * `npm run start:cluster` (scripts/cluster/start.ts) and the cluster tests (test/cluster/).
 */
export interface ClusterPorts {
  postgres: number;
  frontend: { grpc: number; membership: number; http: number };
  matching: { grpc: number; membership: number };
  temporalWorker: { grpc: number; membership: number };
  history: Array<{ grpc: number; membership: number }>;
  /** Prometheus listeners of the Temporal processes: frontend, matching, worker, then history. */
  temporalMetrics: number[];
  ferretdb: number;
  /** HTTP and metrics ports of the service's processes; an API's development sign-in provider. */
  workers: Array<{ http: number; metrics: number }>;
  apis: Array<{ http: number; metrics: number; identity: number }>;
}

export interface ClusterShape {
  histories: number;
  workers: number;
  apis: number;
}

export const defaultShape: ClusterShape = { histories: 2, workers: 2, apis: 2 };

/** Ports counted up from `base` (the launcher's fixed, documented layout); the APIs from `apiBase`. */
export function portsFrom(base: number, apiBase: number, shape: ClusterShape = defaultShape): ClusterPorts {
  let next = base;
  const take = () => next++;
  return {
    postgres: take(),
    frontend: { grpc: take(), membership: take(), http: take() },
    matching: { grpc: take(), membership: take() },
    temporalWorker: { grpc: take(), membership: take() },
    history: Array.from({ length: shape.histories }, () => ({ grpc: take(), membership: take() })),
    temporalMetrics: Array.from({ length: 3 + shape.histories }, take),
    ferretdb: take(),
    workers: Array.from({ length: shape.workers }, () => ({ http: take(), metrics: take() })),
    apis: Array.from({ length: shape.apis }, (_, i) => ({ http: apiBase + i, metrics: take(), identity: take() })),
  };
}

/**
 * Free ports for every process (tests): one block, below 32768 — Temporal stores a membership
 * port as a PostgreSQL smallint, so the kernel's ephemeral ports (32768 and up) do not fit.
 */
export async function freePorts(shape: ClusterShape = defaultShape): Promise<ClusterPorts> {
  const size = countPorts(portsFrom(0, 0, shape)) + shape.apis;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 15_000 + Math.floor(Math.random() * (32_000 - 15_000 - size));
    const ports = Array.from({ length: size }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return portsFrom(base, base + size - shape.apis, shape);
  }
  throw new Error('no free block of ports below 32768');
}

function countPorts(value: unknown): number {
  if (typeof value === 'number') return 1;
  return Object.values(value as object).reduce((n: number, v) => n + countPorts(v), 0);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface ClusterOptions {
  /** The repository: scripts, config and binaries are found from here. */
  repoDir: string;
  /** PostgreSQL's data and every process's log; kept between starts. */
  dataDir: string;
  ports: ClusterPorts;
  shape?: ClusterShape;
  namespace: string;
  /** Settings every worker and API process gets (task queue, secrets, handlers, …). */
  appEnv: Record<string, string>;
  /** A prebuilt workflow bundle, so two workers do not each bundle the code. */
  workflowBundle: string;
  /**
   * Worker Versioning: the build the workers run. Once they poll, it becomes the deployment's
   * current version (a deploy). Unset: unversioned workers.
   */
  buildId?: string;
  temporalLogLevel?: string;
}

type TemporalRole = 'frontend' | 'matching' | 'worker' | 'history';

export class Cluster {
  readonly postgres: SupervisedProcess;
  readonly temporal: SupervisedProcess[];
  readonly history: SupervisedProcess[];
  readonly ferretdb: SupervisedProcess;
  readonly workers: SupervisedProcess[];
  readonly apis: SupervisedProcess[];
  private readonly bin: (name: string) => string;

  constructor(readonly options: ClusterOptions) {
    const { repoDir, dataDir, ports } = options;
    const shape = options.shape ?? defaultShape;
    this.bin = (name) => path.join(repoDir, '.runtime', 'bin', name);
    const log = (name: string) => path.join(dataDir, 'logs', `${name}.log`);
    this.postgres = new SupervisedProcess({
      name: 'postgres',
      command: 'bash',
      args: [path.join(repoDir, 'scripts/cluster/postgres.sh'), 'run'],
      env: { DATA_DIR: dataDir, PG_PORT: String(ports.postgres) },
      logFile: log('postgres'),
      ready: () => this.psql('select 1').then(() => true),
      // SIGTERM would wait for every client to leave; SIGINT is the fast shutdown.
      stopSignal: 'SIGINT',
    });
    const metrics = [...ports.temporalMetrics];
    const temporalProcess = (name: string, role: TemporalRole, grpc: number, extraEnv: Record<string, string>): SupervisedProcess =>
      new SupervisedProcess({
        name,
        command: this.bin('temporal-server'),
        args: ['--config-file', path.join(repoDir, 'deploy/temporal/config.yaml'), '--allow-no-auth', 'start', '--service', role],
        env: { ...this.temporalEnv(), TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${metrics.shift()}`, ...extraEnv },
        logFile: log(name),
        ready: () => (role === 'frontend' ? this.frontendServing() : portIsOpen(grpc)),
      });
    const frontend = temporalProcess('temporal-frontend', 'frontend', ports.frontend.grpc, {});
    const matching = temporalProcess('temporal-matching', 'matching', ports.matching.grpc, {});
    const internalWorker = temporalProcess('temporal-worker', 'worker', ports.temporalWorker.grpc, {});
    this.history = ports.history.slice(0, shape.histories).map((p, i) =>
      temporalProcess(`temporal-history-${i + 1}`, 'history', p.grpc, {
        HISTORY_GRPC_PORT: String(p.grpc),
        HISTORY_MEMBERSHIP_PORT: String(p.membership),
      }),
    );
    this.temporal = [frontend, matching, internalWorker, ...this.history];
    this.ferretdb = new SupervisedProcess({
      name: 'ferretdb',
      command: this.bin('ferretdb'),
      args: ['-listen', `127.0.0.1:${ports.ferretdb}`, '-postgresql-url', `${this.postgresUrl}/ferretdb`, '-data-dir', path.join(dataDir, 'ferretdb')],
      logFile: log('ferretdb'),
      ready: () => portIsOpen(ports.ferretdb),
    });
    this.workers = ports.workers.slice(0, shape.workers).map((p, i) => this.appProcess(`worker-${i + 1}`, 'worker', p));
    this.apis = ports.apis.slice(0, shape.apis).map((p, i) => this.appProcess(`api-${i + 1}`, 'api', p));
  }

  get postgresUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.options.ports.postgres}`;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.options.ports.frontend.grpc}`;
  }

  get mongoUri(): string {
    return `mongodb://127.0.0.1:${this.options.ports.ferretdb}/complaints`;
  }

  get apiUrls(): string[] {
    return this.options.ports.apis.slice(0, this.apis.length).map((p) => `http://127.0.0.1:${p.http}`);
  }

  /** Every process, in start order. */
  get processes(): SupervisedProcess[] {
    return [this.postgres, ...this.temporal, this.ferretdb, ...this.workers, ...this.apis];
  }

  /** Starts everything in order, setting up what is missing; a second start keeps the data. */
  async start(report: (line: string) => void = () => undefined): Promise<void> {
    const { repoDir } = this.options;
    report('PostgreSQL');
    await this.postgres.start();
    await this.psql("select 1 from pg_database where datname = 'ferretdb'").then(async (out) => {
      if (out.trim() !== '1') await this.psql('create database ferretdb');
    });
    report('Temporal schemas (deploy/temporal/setup-schema.sh)');
    await run('sh', [path.join(repoDir, 'deploy/temporal/setup-schema.sh')], {
      env: { ...process.env, ...this.temporalEnv(), TEMPORAL_SQL_TOOL: this.bin('temporal-sql-tool') },
    });
    report('Temporal services: frontend, matching, worker, history ×' + this.history.length);
    // One process first: each writes the cluster's metadata record when it is missing, and on
    // a new database the others would race it to the insert and exit. Then the rest at once.
    const first = this.history[0]!;
    await first.start();
    await Promise.all(this.temporal.filter((p) => p !== first).map((p) => p.start()));
    report(`namespace ${this.options.namespace} and search attributes (deploy/temporal/setup-namespace.sh)`);
    await run('sh', [path.join(repoDir, 'deploy/temporal/setup-namespace.sh')], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: this.temporalAddress,
        TEMPORAL_NAMESPACE: this.options.namespace,
        TEMPORAL_SEARCH_ATTRIBUTES: searchAttributeFlags().join(' '),
        TEMPORAL_CLI: this.bin('temporal'),
      },
    });
    report('FerretDB on PostgreSQL');
    await this.ferretdb.start();
    report(`workers ×${this.workers.length}${this.options.buildId ? ` (build ${this.options.buildId})` : ''}`);
    await Promise.all(this.workers.map((p) => p.start()));
    if (this.options.buildId) await this.setCurrentVersion(this.options.buildId);
    report(`APIs ×${this.apis.length}`);
    await Promise.all(this.apis.map((p) => p.start()));
  }

  /** Stops everything in reverse order. */
  async stop(): Promise<void> {
    await Promise.all(this.apis.map((p) => p.stop()));
    await Promise.all(this.workers.map((p) => p.stop()));
    await this.ferretdb.stop();
    await Promise.all(this.temporal.map((p) => p.stop()));
    await this.postgres.stop();
  }

  /**
   * Replaces a worker or an API by one with more settings — a deploy, one process at a time:
   * a new WORKFLOW_BUNDLE, and for a worker a new WORKER_BUILD_ID, whose version takes tasks
   * once `setCurrentVersion` names it.
   */
  async replace(name: string, extraEnv: Record<string, string>): Promise<void> {
    for (const [group, component, ports] of [[this.workers, 'worker', this.options.ports.workers], [this.apis, 'api', this.options.ports.apis]] as const) {
      const index = group.findIndex((p) => p.name === name);
      if (index < 0) continue;
      const old = group[index]!;
      await old.stop();
      const next = this.appProcess(name, component, ports[index]!, { ...old.spec.env, ...extraEnv });
      group[index] = next;
      await next.start();
      return;
    }
    throw new Error(`no worker or API named ${name}`);
  }

  /**
   * Makes `buildId` the worker deployment's current version, once its workers have polled
   * (the server knows a version only then).
   */
  async setCurrentVersion(buildId: string): Promise<void> {
    const deployment = this.options.appEnv.WORKER_DEPLOYMENT_NAME ?? 'complaints';
    const flags = ['--address', this.temporalAddress, '--namespace', this.options.namespace, '--deployment-name', deployment, '--build-id', buildId];
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await run(this.bin('temporal'), ['worker', 'deployment', 'set-current-version', ...flags, '--yes']);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`could not make ${buildId} the current version: ${(err as { stderr?: string }).stderr ?? err}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** `Name  address` lines for every process. */
  addresses(): Array<[string, string]> {
    const { ports } = this.options;
    return [
      ['PostgreSQL', `${this.postgresUrl}  (databases temporal, temporal_visibility, ferretdb)`],
      ['Temporal', `${this.temporalAddress}  (frontend; namespace ${this.options.namespace})`],
      ...this.history.map((_, i): [string, string] => [`  history ${i + 1}`, `127.0.0.1:${ports.history[i]!.grpc}`]),
      ['  matching', `127.0.0.1:${ports.matching.grpc}`],
      ['  worker', `127.0.0.1:${ports.temporalWorker.grpc}`],
      ['FerretDB', this.mongoUri],
      ...this.workers.map((_, i): [string, string] => [`Worker ${i + 1}`, `http://127.0.0.1:${ports.workers[i]!.http}/readyz`]),
      ...this.apis.map((_, i): [string, string] => [`API ${i + 1}`, `http://127.0.0.1:${ports.apis[i]!.http}  (portal /, console /console, API /api/v1)`]),
    ];
  }

  async psql(sql: string): Promise<string> {
    const { stdout } = await run('psql', ['-h', '127.0.0.1', '-p', String(this.options.ports.postgres), '-U', 'postgres', '-d', 'postgres', '-tAc', sql]);
    return stdout;
  }

  private temporalEnv(): Record<string, string> {
    return temporalEnvironment(this.options);
  }

  private frontendServing(): Promise<boolean> {
    return run(this.bin('temporal'), ['operator', 'cluster', 'health', '--address', this.temporalAddress]).then(
      () => true,
      () => false,
    );
  }

  private appProcess(name: string, component: 'worker' | 'api', ports: { http: number; metrics: number; identity?: number }, extraEnv: Record<string, string> = {}): SupervisedProcess {
    const { repoDir, dataDir } = this.options;
    const env: Record<string, string> = {
      NODE_OPTIONS: process.env.NODE_OPTIONS ?? '--max-old-space-size=512',
      COMPONENTS: component,
      PORT: String(ports.http),
      METRICS_PORT: String(ports.metrics),
      DATA_DIR: path.join(dataDir, name),
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: this.options.namespace,
      MONGODB_URI: this.mongoUri,
      WORKFLOW_BUNDLE: this.options.workflowBundle,
      ...(component === 'worker' && this.options.buildId ? { WORKER_BUILD_ID: this.options.buildId } : {}),
      // Without AUTH_OIDC_ISSUER each API runs its own development provider.
      ...(ports.identity ? { AUTH_DEV_PROVIDER_PORT: String(ports.identity) } : {}),
      ...this.options.appEnv,
      ...extraEnv,
    };
    const spec: ProcessSpec = {
      name,
      command: process.execPath,
      args: ['--import', 'tsx', path.join(repoDir, 'main.ts')],
      cwd: repoDir,
      env,
      logFile: path.join(dataDir, 'logs', `${name}.log`),
      ready: () => fetch(`http://127.0.0.1:${ports.http}/readyz`).then((r) => r.ok),
    };
    return new SupervisedProcess(spec);
  }
}

/** Whether the binaries this topology runs are installed (scripts/cluster/install.sh). */
export function clusterInstalled(repoDir: string): boolean {
  return ['temporal-server', 'temporal-sql-tool', 'temporal', 'ferretdb'].every((b) => existsSync(path.join(repoDir, '.runtime', 'bin', b)));
}

/** What each Temporal process gets: the settings deploy/temporal/config.yaml reads. */
export function temporalEnvironment(options: Pick<ClusterOptions, 'ports' | 'repoDir' | 'temporalLogLevel'>): Record<string, string> {
  const { ports, repoDir } = options;
  return {
    TEMPORAL_LOG_LEVEL: options.temporalLogLevel ?? 'warn',
    TEMPORAL_DB_HOST: '127.0.0.1',
    TEMPORAL_DB_PORT: String(ports.postgres),
    TEMPORAL_DB_USER: 'postgres',
    TEMPORAL_DB_PASSWORD: '',
    TEMPORAL_DB_MAX_CONNS: '20',
    TEMPORAL_FRONTEND_ADDRESS: `127.0.0.1:${ports.frontend.grpc}`,
    TEMPORAL_DYNAMIC_CONFIG: path.join(repoDir, 'deploy/temporal/dynamicconfig.yaml'),
    FRONTEND_GRPC_PORT: String(ports.frontend.grpc),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontend.membership),
    FRONTEND_HTTP_PORT: String(ports.frontend.http),
    MATCHING_GRPC_PORT: String(ports.matching.grpc),
    MATCHING_MEMBERSHIP_PORT: String(ports.matching.membership),
    WORKER_GRPC_PORT: String(ports.temporalWorker.grpc),
    WORKER_MEMBERSHIP_PORT: String(ports.temporalWorker.membership),
    HISTORY_GRPC_PORT: String(ports.history[0]!.grpc),
    HISTORY_MEMBERSHIP_PORT: String(ports.history[0]!.membership),
  };
}
