import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { signToken, type Principal } from '../../api/auth';
import { loadConfig } from '../../runtime/config';
import { createLogger } from '../../runtime/logger';
import { replayHistories, type ReplayResult } from '../../services/ops';
import { startService, type RunningService, type ServiceOptions } from '../../runtime/service';
import { dataConverter } from '../../runtime/data-converter';
import { codecFromConfig, developmentPayloadKeys } from '../../runtime/payload-codec';
import { CaseKeyCodec } from '../../personal-data/case-key-codec';
import { caseKeyModel, CaseKeyStore } from '../../personal-data/case-keys';
import mongoose from 'mongoose';

import { testJwtSecret, writePolicyFile } from './test-settings';

export { testJwtSecret, writePolicyFile };

const keyStores = new Map<string, CaseKeyStore>();
/**
 * The data converter of the test services (development payload keys), for tests' own clients.
 * With the service's database it reads cases' own keys too (personal-data/case-keys.ts).
 */
export const testDataConverter = (mongoUri?: string) => {
  const service = codecFromConfig(developmentPayloadKeys);
  if (!mongoUri) return dataConverter(service);
  let keys = keyStores.get(mongoUri);
  if (!keys) keyStores.set(mongoUri, (keys = new CaseKeyStore(caseKeyModel(mongoose.createConnection(mongoUri)), service, { ttlMs: 0, missTtlMs: 0 })));
  // As the API reads them: an erased case's payloads are the marker (a listing's memo, a scan).
  return dataConverter(new CaseKeyCodec(service, keys, { erased: 'marker' }));
};

let runtimeInstalled = false;
let temporalMetricsUrl: string | undefined;
/**
 * Quiet worker logs; once per test process. With `metricsPort`, the Temporal runtime also
 * exports its Prometheus metrics there (merged into the services' /metrics).
 */
export function installTestRuntime(metricsPort?: number): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  if (metricsPort) temporalMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  // Core's own warnings (a replay test's expected non-determinism) stay out of the output.
  // The native runtime outlives module isolation: a file run in the same process as another
  // finds it installed already, which is fine.
  if (runtimeExists()) return;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} },
      ...(metricsPort ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` }, metricPrefix: 'temporal_' } } : {}),
    },
  });
}

function runtimeExists(): boolean {
  try {
    // Runtime.instance() installs a default runtime when there is none: look, don't touch.
    return (Runtime as unknown as { _instance?: unknown })._instance !== undefined;
  } catch {
    return false;
  }
}

/** A database of its own for each test file, on the run's one FerretDB. */
export function testMongoUri(name = `t_${randomUUID().slice(0, 8)}`): string {
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/${name}`;
  return uri.toString();
}

export interface TestService extends RunningService {
  apiUrl: string;
  taskQueue: string;
  api: ApiClient;
  /** Every log line the service wrote (info and up), as text. */
  logs: string[];
}

/**
 * The service (API + worker) against the run's real Temporal server and FerretDB, on a task
 * queue and database of its own so test files do not see each other's work.
 */
export async function startTestService(env: Record<string, string> = {}, options: ServiceOptions = {}): Promise<TestService> {
  installTestRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const config = loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: testMongoUri(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    PORT: '0',
    AUTH_JWT_SECRET: testJwtSecret,
    NODE_ENV: 'test',
    // Each test service starts its own development identity provider, on a free port.
    AUTH_DEV_PROVIDER_PORT: '0',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void logs.push(line) });
  const service = await startService(config, logger, {
    workflowBundle: { codePath: inject('workflowBundlePath') },
    metricsPort: 0,
    ...(temporalMetricsUrl ? { temporalMetricsUrl } : {}),
    ...options,
  });
  return { ...service, apiUrl: service.apiUrl!, taskQueue: config.TEMPORAL_TASK_QUEUE, api: new ApiClient(service.apiUrl!), logs };
}

export const tokenFor = (claims: Principal) => signToken(testJwtSecret, claims);

export interface ApiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Plain HTTP calls to the API, as any client would make them. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = any>(
    method: string,
    path: string,
    options: { as?: Principal; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = `Bearer ${await tokenFor(options.as)}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  get = <T = any>(path: string, as?: Principal) => this.call<T>('GET', path, { as });
  post = <T = any>(path: string, body: unknown, as?: Principal, headers?: Record<string, string>) =>
    this.call<T>('POST', path, { as, body, headers });
}

/** Polls until `probe` returns a value (not undefined/null) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const consumer = (sub = 'u1'): Principal => ({ role: 'consumer', sub });
export const agent: Principal = { role: 'agent', sub: 'a1' };
export const supervisor: Principal = { role: 'supervisor', sub: 's1' };
export const ops: Principal = { role: 'ops', sub: 'o1' };
export const department = (d: 'quality' | 'logistics' | 'legal'): Principal => ({ role: 'department', sub: `d-${d}`, department: d });

export const newComplaintBody = (overrides: Record<string, unknown> = {}) => ({
  orderId: `order-${randomUUID().slice(0, 8)}`,
  productName: 'Electric kettle',
  description: 'The kettle leaks from the base after two days.',
  contact: { name: 'Li Wei', phone: '+86 138 0013 8000', email: 'li.wei@example.com' },
  channel: 'web',
  category: 'quality',
  ...overrides,
});

/** A policy whose stages last seconds, for tests against the real (not time-skipping) server. */
export const secondsPolicy = (general: Record<string, unknown>) => writePolicyFile({ version: `test-${randomUUID().slice(0, 6)}`, policies: { general } });

/** A Temporal client on the run's dev server that reads the services' encrypted payloads. */
export async function testClient(mongoUri?: string): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: testDataConverter(mongoUri) });
}

/** Replays one history against the run's workflow bundle, i.e. the current workflow code. */
export async function replayWithCurrentCode(workflowId: string, history: temporal.api.history.v1.IHistory, mongoUri?: string): Promise<ReplayResult> {
  installTestRuntime();
  const [result] = await replayHistories({ codePath: inject('workflowBundlePath') }, testDataConverter(mongoUri), [{ workflowId, runId: 'replay', history }]);
  return result!;
}
