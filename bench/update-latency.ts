/**
 * Where a paced action's time goes: `npm run bench:update-latency`.
 *
 * Starts the servers, the API and the worker as `npm run bench` does, opens cases, and then,
 * one every 300 ms and interleaved, acknowledges a case through the API, acknowledges another
 * through a Temporal client (the update the API sends, without the API), and sends the raw
 * ping update of bench/raw-workflows.ts. Each round trip is split by its workflow's history:
 * from sending until the update's workflow task started (the API before it sends, the server's
 * dispatch), that task (the worker's activation and the server receiving its completion), and
 * from the task's completion until the answer (the server writing it and answering the
 * update, then the API turning the answer into the HTTP response). Prints a table and writes
 * bench/results/update-latency.json.
 *
 *   BENCH_UPDATE_ROUNDS=100
 */
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import Table from 'cli-table3';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { complaintModel } from '../activities/read-model';
import { signToken, type Principal } from '../api/auth';
import { complaintWorkflowId } from '../domain/complaint';
import { CaseKeyCodec } from '../personal-data/case-key-codec';
import { caseKeyModel, CaseKeyStore } from '../personal-data/case-keys';
import { dataConverter } from '../runtime/data-converter';
import { startEmbeddedFerretDb, startEmbeddedTemporal } from '../runtime/embedded';
import { codecFromConfig, developmentPayloadKeys } from '../runtime/payload-codec';
import { freePort, onFreePort } from '../runtime/processes';
import { workflowBundleOptions } from '../worker';
import { actionUpdates } from '../workflows/messages';
import { quiet } from './cpu-budget';
import { startServiceProcess } from './processes';
import { startRawWorker } from './raw-worker';
import { pingUpdate } from './raw-workflows';
import { percentile, round } from './stats';

const rounds = Number(process.env.BENCH_UPDATE_ROUNDS ?? 100);
const paceMs = 300;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const secret = 'bench-secret-0123456789abcdef';
const agent: Principal = { role: 'agent', sub: 'a1' };

Runtime.install({ logger: new DefaultLogger('ERROR') });
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-update-latency-'));
const workflowBundle = path.join(dir, 'workflow-bundle.js');
await writeFile(workflowBundle, (await bundleWorkflowCode({ ...workflowBundleOptions, logger: new DefaultLogger('ERROR') })).code);
const temporal = await onFreePort((port) => startEmbeddedTemporal({ dataDir: dir, port }));
const ferret = await startEmbeddedFerretDb({ dataDir: dir, port: await freePort() });
const env = { DATA_DIR: dir, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'error', TEMPORAL_ADDRESS: temporal.address, MONGODB_URI: ferret.uri };
const api = await startServiceProcess(root, 'main.ts', 'API process', { ...env, COMPONENTS: 'api', RATE_LIMIT_PER_MINUTE: '10000000', AUTH_DEV_PROVIDER_PORT: '0' });
const worker = await startServiceProcess(root, 'worker.ts', 'worker process', { ...env, WORKFLOW_BUNDLE: workflowBundle });
const mongo = await mongoose.createConnection(ferret.uri).asPromise();
const connection = await Connection.connect({ address: temporal.address });
// The API's codec: each case's payloads under its key. Read once for the whole run (the keys are
// read before the first round): the update without the API is the update alone, whereas the API
// reads a case's key again once its cache's minute has passed, as it does in service.
const serviceCodec = codecFromConfig(developmentPayloadKeys);
const caseKeys = new CaseKeyStore(caseKeyModel(mongo), serviceCodec, { ttlMs: 3_600_000 });
const caseCodec = new CaseKeyCodec(serviceCodec, caseKeys, { erased: 'marker' });
const serviceClient = new Client({ connection, dataConverter: dataConverter(caseCodec) });
const rawClient = new Client({ connection });
const { worker: rawWorker, running: rawRunning } = await startRawWorker(temporal.address);
const token = await signToken(secret, agent);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

/** A round trip's parts, in ms. */
interface Split {
  total: number;
  /** From sending until the update's workflow task started. */
  untilTaskStarted: number;
  /** The workflow task, started to completed (the server's event times). */
  task: number;
  /** From the task's completion until the answer arrived. */
  afterTask: number;
}
const now = () => performance.timeOrigin + performance.now();
const eventMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/** Times `send` and splits it by the workflow task in which the workflow accepted the update. */
async function timed(handle: WorkflowHandle, send: () => Promise<unknown>): Promise<Split> {
  const sent = now();
  await send();
  const answered = now();
  // The events up to the update's acceptance, newest first: its task's start and completion.
  const events = [...((await handle.fetchHistory()).events ?? [])].reverse();
  const upToAcceptance = events.slice(events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes));
  const started = eventMs(upToAcceptance.find((e) => e.workflowTaskStartedEventAttributes)?.eventTime);
  const completed = eventMs(upToAcceptance.find((e) => e.workflowTaskCompletedEventAttributes)?.eventTime);
  return { total: answered - sent, untilTaskStarted: started - sent, task: completed - started, afterTask: answered - completed };
}

try {
  const opened: string[] = [];
  for (let i = 0; i < 2 * rounds; i++) {
    const res = await fetch(`${api.url}/api/v1/complaints`, {
      method: 'POST', headers,
      body: JSON.stringify({
        orderId: `bench-${randomUUID()}`, productName: 'Kettle', description: 'Leaks', channel: 'phone', category: 'quality',
        severity: 'complex', customerId: `c${i}`, contact: { name: 'Bench Person', phone: '13000000000' },
      }),
    });
    if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
    opened.push(((await res.json()) as { id: string }).id);
  }
  const model = complaintModel(mongo);
  while ((await model.countDocuments({ _id: { $in: opened } })) < opened.length) await new Promise((r) => setTimeout(r, 500));
  for (const id of opened) await caseKeys.keyOf(id);
  await quiet();
  const pings = await Promise.all(
    Array.from({ length: 20 }, () => rawClient.workflow.start('trivialWorkflow', { workflowId: `raw-u-${randomUUID()}`, taskQueue: 'bench-raw' })),
  );

  const paths = {
    'action through the API': (i: number) => {
      const id = opened[i]!;
      return timed(serviceClient.workflow.getHandle(complaintWorkflowId(id)), async () => {
        const res = await fetch(`${api.url}/api/v1/complaints/${id}/acknowledge`, { method: 'POST', headers, body: '{}' });
        if (res.status !== 200) throw new Error(`acknowledge answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      });
    },
    'the same update, no API': (i: number) => {
      const handle = serviceClient.workflow.getHandle(complaintWorkflowId(opened[rounds + i]!));
      return timed(handle, () => handle.executeUpdate(actionUpdates.acknowledge, { args: [{ actor: agent, input: {} }] }));
    },
    'raw ping update': (i: number) => timed(pings[i % pings.length]!, () => pings[i % pings.length]!.executeUpdate(pingUpdate, { args: [i] })),
  };
  const splits: Record<string, Split[]> = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, send] of Object.entries(paths)) {
      splits[name]!.push(await send(i));
      await new Promise((r) => setTimeout(r, paceMs));
    }
  }

  const parts = ['total', 'untilTaskStarted', 'task', 'afterTask'] as const;
  const results = Object.fromEntries(
    Object.entries(splits).map(([name, list]) => [
      name,
      Object.fromEntries(parts.map((part) => [part, { p50Ms: round(percentile(list.map((s) => s[part]), 0.5)), p90Ms: round(percentile(list.map((s) => s[part]), 0.9)) }])),
    ]),
  );
  const table = new Table({ head: ['path (p50 / p90 ms)', 'round trip', 'until the task started', 'the task', 'after the task'] });
  for (const [name, r] of Object.entries(results)) table.push([name, ...parts.map((part) => `${r[part]!.p50Ms} / ${r[part]!.p90Ms}`)]);
  console.log(table.toString());
  const out = path.join(here, 'results', 'update-latency.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), rounds, paceMs, results }, null, 2)}\n`);
  console.log(`written to ${path.relative(root, out)}`);
} finally {
  rawWorker.shutdown();
  await rawRunning;
  await Promise.all([api.stop(), worker.stop()]);
  await mongo.close();
  await connection.close();
  await Promise.all([temporal.stop(), ferret.stop()]);
  await rm(dir, { recursive: true, force: true });
}
