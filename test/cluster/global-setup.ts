import { bundleWorkflowCode } from '@temporalio/worker';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { Cluster, clusterInstalled, freePorts } from '../../scripts/cluster/topology';
import { workflowBundleOptions } from '../../worker';
import { HandlerServer } from '../support/handler-server';
import { testJwtSecret, writePolicyFile } from '../support/test-settings';
import { clusterSecrets, deploymentName, type ClusterInfo } from './support/settings';

/**
 * The cluster suite's servers, once per run: the production topology (scripts/cluster/
 * topology.ts) on free ports — PostgreSQL, Temporal's frontend, matching, worker and two history
 * processes, FerretDB on PostgreSQL, two workers and two APIs — plus the payment service and
 * notification gateway they call. Test files reach it through a small control server on
 * loopback: they kill, start and replace its processes (this process owns them) and read what
 * the receivers got.
 */
export default async function setup(project: TestProject) {
  const repoDir = path.resolve('.');
  if (!clusterInstalled(repoDir)) {
    throw new Error('The cluster suite needs temporal-server and FerretDB in .runtime/bin: run `npm test` (it installs them) or `bash scripts/cluster/install.sh`.');
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'complaints-cluster-'));
  const handlers = new HandlerServer(clusterSecrets);
  const handlersUrl = await handlers.start();
  // The ops test makes the payment service refuse one case's refund until it is fixed.
  const refusedPayments = new Set<string>();
  handlers
    .payOnce(undefined, (request) => {
      const key = String(request.headers['idempotency-key']);
      return [...refusedPayments].some((id) => key.startsWith(id)) ? { status: 503, body: { detail: 'payment service unavailable' } } : undefined;
    })
    .on('/notify', () => ({ status: 200 }));

  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet });
  const workflowBundle = path.join(dataDir, 'workflow-bundle-a.js');
  await writeFile(workflowBundle, bundle.code);
  // Urgent cases breach in seconds (the history fault: long enough to kill a history process
  // before they are due); every other case has the real limits.
  const slaPolicy = writePolicyFile({
    version: 'cluster-test',
    policies: { urgent: { acknowledge: '10s', investigate: '1h', plan: '1h', feedback: '1h', resolve: '1h', revisit: '1h' } },
  });
  const cluster = new Cluster({
    repoDir,
    dataDir,
    ports: await freePorts(),
    namespace: 'complaints',
    workflowBundle,
    buildId: 'build-a',
    appEnv: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TEMPORAL_TASK_QUEUE: 'complaints',
      WORKER_DEPLOYMENT_NAME: deploymentName,
      AUTH_JWT_SECRET: testJwtSecret,
      RATE_LIMIT_PER_MINUTE: '1000000',
      SLA_POLICY_FILE: slaPolicy,
      HANDLER_PAYMENTS_URL: `${handlersUrl}/payments`,
      HANDLER_PAYMENTS_HMAC_SECRET: clusterSecrets['/payments'],
      NOTIFY_ADAPTER: 'webhook',
      NOTIFY_WEBHOOK_URL: `${handlersUrl}/notify`,
      NOTIFY_WEBHOOK_HMAC_SECRET: clusterSecrets['/notify'],
      NOTIFY_POLL_MS: '200',
    },
  });
  try {
    await cluster.start();
  } catch (err) {
    await cluster.stop();
    await handlers.stop();
    throw err;
  }
  const control = await controlServer(cluster, handlers, refusedPayments);
  const info: ClusterInfo = {
    controlUrl: control.url,
    apiUrls: cluster.apiUrls,
    temporalAddress: cluster.temporalAddress,
    namespace: 'complaints',
    mongoUri: cluster.mongoUri,
    workflowBundle,
    dataDir,
  };
  project.provide('cluster', info);

  return async () => {
    control.server.close();
    await cluster.stop();
    await handlers.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

/** The test files' handle on the processes: kill, start, replace a worker, and the receivers' log. */
async function controlServer(cluster: Cluster, handlers: HandlerServer, refusedPayments: Set<string>): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(express.json());
  const find = (name: string) => cluster.processes.find((p) => p.name === name);
  app.get('/processes', (_req, res) => {
    res.json(cluster.processes.map((p) => ({ name: p.name, running: p.running, pid: p.pid })));
  });
  app.post('/processes/:name/:action', async (req, res) => {
    const p = find(req.params.name);
    if (!p) return void res.status(404).json({ detail: `no process ${req.params.name}` });
    try {
      if (req.params.action === 'kill') await p.kill(req.body?.signal ?? 'SIGKILL');
      else if (req.params.action === 'start') await p.start();
      else if (req.params.action === 'stop') await p.stop();
      else return void res.status(400).json({ detail: 'kill, start or stop' });
      res.json({ name: p.name, running: p.running });
    } catch (err) {
      res.status(500).json({ detail: (err as Error).message });
    }
  });
  app.post('/replace/:name', async (req, res) => {
    try {
      await cluster.replace(req.params.name, req.body.env ?? {});
      res.json({ ok: true });
    } catch (err) {
      res.status(500).json({ detail: (err as Error).message });
    }
  });
  app.post('/deployment/current', async (req, res) => {
    try {
      await cluster.setCurrentVersion(req.body.buildId);
      res.json({ ok: true });
    } catch (err) {
      res.status(500).json({ detail: (err as Error).message });
    }
  });
  app.get('/logs/:name', (req, res) => {
    const p = find(req.params.name);
    res.type('text').send(p ? p.logTail(Number(req.query.lines ?? 50)) : '');
  });
  app.get('/handlers/payments', (_req, res) => res.json([...handlers.payments.entries()]));
  app.post('/handlers/payments/refuse', (req, res) => {
    if (req.body.refuse) refusedPayments.add(req.body.complaintId);
    else refusedPayments.delete(req.body.complaintId);
    res.json({ refused: [...refusedPayments] });
  });
  app.get('/handlers/requests', (req, res) => {
    res.json(handlers.requestsTo(String(req.query.path)).map((r) => ({ body: r.body, idempotencyKey: r.headers['idempotency-key'] ?? null })));
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const quiet = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: unknown) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(message, meta ?? ''),
  log: () => undefined,
};
