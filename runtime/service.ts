import { temporalUiPath } from '../api/web/temporal-ui-proxy';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import mongoose from 'mongoose';
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import { createActivities } from '../activities';
import { handlerTaskModel } from '../activities/handlers';
import { NotificationDispatcher } from '../activities/notifications/dispatcher';
import { notificationModel, NotificationOutbox } from '../activities/outbox';
import { complaintModel, ComplaintReadModel } from '../activities/read-model';
import { reportFactsModel, ReportFactsStore } from '../activities/report-facts-store';
import { createApp } from '../api/app';
import { healthRoutes, type ReadinessChecks } from '../api/health';
import { HttpMetrics } from '../api/metrics';
import { createComplaintWorker, workflowsPath } from '../worker';
import { auditModel, AuditLog } from './audit-log';
import { OpsService } from '../services/ops';
import { ReportService } from '../services/reports';
import { WhatIfService } from '../services/what-if';
import { ErasureService } from '../services/erasure';
import { SlaPolicyArchive, slaPolicyArchiveModel } from '../activities/sla-policy-archive';
import type { Config } from './config';
import { startEmbeddedFerretDb, startEmbeddedTemporal } from './embedded';
import type { Logger } from './logger';
import { deliveryAdapter, handlerGateway } from './integrations';
import { loadSlaPolicy } from './sla-policy-file';
import { dataConverter } from './data-converter';
import { queryAgainInterceptor } from './query-again';
import { SignIn } from '../identity/sign-in/sign-in';
import { developmentMachineClient, developmentSessionSecret, developmentWebClientSecret, needsSecureCookie } from '../identity/sign-in/settings';
import { codecFromConfig } from './payload-codec';
import { CaseKeyCodec } from '../personal-data/case-key-codec';
import { caseKeyModel, CaseKeyStore } from '../personal-data/case-keys';
import { createErasureActivities } from '../activities/erasure';
import { personalDataRetention } from '../domain/sla-policy';
import { ensureRetentionSchedule } from './retention-schedule';
import { superviseWorker, type SupervisedWorker } from './worker-supervision';

export interface ServiceOptions {
  workflowBundle?: { codePath: string };
  /** Where the Temporal runtime exports its Prometheus metrics (main.ts sets it up). */
  temporalMetricsUrl?: string;
  /** Overrides METRICS_PORT (tests: 0 = any free port). */
  metricsPort?: number;
  /**
   * The worker failed and will not poll again (readiness already says so). main.ts stops
   * the service and exits 1 so a supervisor starts a new process; tests observe it.
   */
  onFatal?: (err: Error) => void;
}

export interface RunningService {
  /** The HTTP address: the API, or only the health endpoints for a worker alone. */
  apiUrl: string;
  metricsUrl?: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  mongoUri: string;
  /** The identity provider people sign in at (the embedded one's address in development). */
  identityProviderUrl?: string;
  slaPolicyVersion: string;
  stop(): Promise<void>;
}

/**
 * Brings the service up: embedded Temporal and FerretDB unless TEMPORAL_ADDRESS /
 * MONGODB_URI point elsewhere, then the worker and the API (as COMPONENTS says).
 * Whatever started is stopped again, in reverse order, by `stop()` or on a failed start.
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const fn of stops.reverse().splice(0)) {
      await fn().catch((err) => logger.warn({ err }, 'error while stopping'));
    }
  };
  // A bad policy file or key stops the start before anything else runs.
  const slaPolicy = loadSlaPolicy(config.SLA_POLICY_FILE);
  // Production refuses payloads without our encryption: whoever reaches the Temporal
  // frontend without the keys cannot make the worker run (or pay for) a case.
  const serviceCodec = codecFromConfig(config.payloadKeys, config.PAYLOAD_KEY_ID, { requireEncryption: config.NODE_ENV === 'production' });
  const tls = config.temporalTls ? { tls: config.temporalTls } : {};
  try {
    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    let uiProxyTo: string | undefined;
    if (!temporalAddress) {
      logger.info('starting the embedded Temporal dev server');
      const temporal = await startEmbeddedTemporal({
        dataDir: config.dataDir,
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        // Ops open it through the service (/temporal), where its codec calls carry their session.
        uiPublicPath: temporalUiPath,
        uiCodecEndpoint: '/codec',
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
      if (config.TEMPORAL_UI_PORT) uiProxyTo = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
    }
    let mongoUri = config.MONGODB_URI;
    if (!mongoUri) {
      logger.info('starting the embedded FerretDB');
      const ferret = await startEmbeddedFerretDb({ dataDir: config.dataDir, port: config.FERRETDB_PORT });
      stops.push(() => ferret.stop());
      mongoUri = ferret.uri;
    }

    // The embedded UI is linked at /temporal on this service (proxied); an external one at its own address.
    const uiUrl = config.TEMPORAL_UI_URL ?? (uiProxyTo ? temporalUiPath : undefined);
    const mongo = await mongoose.createConnection(mongoUri, { serverSelectionTimeoutMS: 5000 }).asPromise();
    stops.push(() => mongo.close());
    const model = complaintModel(mongo);
    const notifications = notificationModel(mongo);
    const tasks = handlerTaskModel(mongo);
    const facts = reportFactsModel(mongo);
    await Promise.all([model.init(), notifications.init(), tasks.init(), facts.init()]);
    const readModel = new ComplaintReadModel(model);
    const outbox = new NotificationOutbox(notifications);
    // Each case's payloads under a key of its own (decision 021), wrapped by the service keys.
    const keys = caseKeyModel(mongo);
    await keys.init();
    const caseKeys = new CaseKeyStore(keys, serviceCodec);
    // An erasure by any process reaches this one's cached keys at its next look (decision 035).
    const stopWatchingErasures = caseKeys.watchErasures(config.CASE_KEY_WATCH_MS, logger);
    stops.push(async () => stopWatchingErasures());
    // A worker never runs on an erased case's payloads; the API and ops read them as the marker
    // (a memo in `describe`, a refused query's details) and go to the read model.
    const codec = new CaseKeyCodec(serviceCodec, caseKeys, { erased: 'fail' });
    const clientCodec = new CaseKeyCodec(serviceCodec, caseKeys, { erased: 'marker' });
    // The UI's /codec only displays: it shows what is plaintext (search attributes, the SDK's
    // marker data, a rogue client's input) as it is, and an erased case's payloads as the marker.
    const displayCodec = new CaseKeyCodec(
      codecFromConfig(config.payloadKeys, config.PAYLOAD_KEY_ID, { requireEncryption: false }), caseKeys, { erased: 'marker' },
    );

    // One connection for the worker and every client of this process: sdk-core's (Rust) gRPC
    // client costs a third less CPU per call than grpc-js's (decision 028).
    let temporalConnection: Promise<NativeConnection> | undefined;
    const connectToTemporal = (): Promise<NativeConnection> =>
      (temporalConnection ??= NativeConnection.connect({
        address: temporalAddress, ...tls, grpcCompression: { codec: config.TEMPORAL_GRPC_COMPRESSION },
      }).then((connection) => {
        stops.push(() => connection.close());
        return connection;
      }));

    let worker: SupervisedWorker | undefined;
    if (config.COMPONENTS.includes('worker')) {
      // The worker delivers the notification outbox too; its first attempts give way to the
      // workflow tasks the worker has in hand (deadlines before notices, decision 032).
      let workflowTasksInHand = (): boolean => false;
      const dispatcher = new NotificationDispatcher({
        notifications,
        readModel,
        adapter: deliveryAdapter(config, logger),
        logger,
        timezone: slaPolicy.file.timezone,
        pollMs: config.NOTIFY_POLL_MS,
        busy: () => workflowTasksInHand(),
        yieldMaxMs: config.NOTIFY_YIELD_MAX_MS,
      });
      dispatcher.start();
      stops.push(() => dispatcher.stop());
      const connection = await connectToTemporal();
      // Erasures look at and delete workflow runs, and the worker keeps the retention schedule.
      const workerClient = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(clientCodec) });
      await ensureRetentionSchedule(workerClient, { taskQueue: config.TEMPORAL_TASK_QUEUE, cron: config.RETENTION_SCHEDULE, timezone: slaPolicy.file.timezone });
      const handlers = handlerGateway(config, tasks);
      const complaintWorker = await createComplaintWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        codec,
        activities: {
          ...createActivities({ readModel, reportFacts: new ReportFactsStore(facts), outbox, handlers, delivery: dispatcher }),
          ...createErasureActivities({
            readModel, outbox, handlers, caseKeys, audit: new AuditLog(auditModel(mongo)), temporal: workerClient, namespace: config.TEMPORAL_NAMESPACE,
            retention: () => ({ bySeverity: personalDataRetention(slaPolicy.file), calendar: { timezone: slaPolicy.file.timezone, ...slaPolicy.file.calendar } }),
          }),
        },
        workflowBundle: options.workflowBundle ?? (config.WORKFLOW_BUNDLE ? { codePath: config.WORKFLOW_BUNDLE } : undefined),
        maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
        workflowThreads: config.WORKER_WORKFLOW_THREADS,
        workflowTaskSlots: config.WORKER_WORKFLOW_TASKS,
        ...(config.WORKER_BUILD_ID
          ? { deploymentVersion: { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId: config.WORKER_BUILD_ID } }
          : {}),
      });
      workflowTasksInHand = () => {
        const status = complaintWorker.getStatus();
        return status.numInFlightWorkflowActivations > 0 || status.numInFlightLocalActivities > 0;
      };
      const supervised = superviseWorker(complaintWorker, logger, options.onFatal);
      worker = supervised;
      stops.push(() => supervised.stop());
    }

    let app: Express;
    let signIn: SignIn | undefined;
    const metrics = new HttpMetrics();
    const readiness: ReadinessChecks = { database: () => mongo.db!.admin().ping() };
    if (worker) readiness.worker = async () => worker!.assertRunning();
    if (config.COMPONENTS.includes('api')) {
      const connection = await connectToTemporal();
      readiness.temporal = () => connection.healthService.check({});
      // A terminated run's query is refused rather than answered by a replay that does not
      // know of its termination: GET then reads the read model, which records it.
      const temporal = new Client({
        connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(clientCodec), workflow: { queryRejectCondition: 'NOT_COMPLETED_CLEANLY' },
        interceptors: { workflow: [queryAgainInterceptor] },
      });
      signIn = new SignIn({
        mongo: mongo.getClient(),
        sessions: {
          secret: config.SESSION_SECRET ?? developmentSessionSecret,
          idleMinutes: config.SESSION_IDLE_MINUTES,
          absoluteHours: config.SESSION_ABSOLUTE_HOURS,
          secureCookie: config.PUBLIC_URL ? needsSecureCookie(config.PUBLIC_URL) : false,
        },
        claimNames: { role: config.AUTH_ROLE_CLAIM, department: config.AUTH_DEPARTMENT_CLAIM },
        audience: config.AUTH_OIDC_AUDIENCE,
        logger,
      });
      // The policy in force is kept by version: the what-if reproduces each case under its own.
      const policyArchive = new SlaPolicyArchive(slaPolicyArchiveModel(mongo));
      await policyArchive.remember(slaPolicy.version, slaPolicy.file);
      app = createApp({
        signIn,
        temporal,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        readModel,
        outbox,
        slaPolicy,
        linkPolicy: config.NODE_ENV === 'production' ? 'production' : 'development',
        jwtSecret: config.jwtSecret,
        tokenRules: { issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE },
        logger,
        readiness,
        metrics,
        codec: displayCodec,
        codecLimits: { bodyLimitBytes: config.CODEC_BODY_LIMIT_KB * 1024, rateLimitPerMinute: config.CODEC_RATE_LIMIT_PER_MINUTE },
        rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
        corsOrigins: config.CORS_ORIGINS,
        ops: new OpsService({
          temporal, readModel, audit: new AuditLog(auditModel(mongo)), namespace: config.TEMPORAL_NAMESPACE,
          dataConverter: dataConverter(codec), workflowsPath,
          workflowBundlePath: options.workflowBundle?.codePath ?? config.WORKFLOW_BUNDLE,
        }),
        reports: new ReportService(facts, () => slaPolicy.forSeverity('general')),
        whatIf: new WhatIfService(new ReportFactsStore(facts), readModel, policyArchive),
        erasure: new ErasureService({ temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, readModel }),
        caseKeys,
        ...(uiUrl ? { temporalUi: { url: uiUrl.replace(/\/$/, ''), namespace: config.TEMPORAL_NAMESPACE, ...(uiProxyTo ? { proxyTo: uiProxyTo } : {}) } } : {}),
      });
    } else {
      // A worker alone still answers health checks (the compose file's healthcheck).
      app = express().use(metrics.middleware(), healthRoutes(readiness));
    }
    const server = await listen(app, config.PORT, config.HOST);
    stops.push(() => new Promise((resolve) => server.close(resolve)));
    const apiUrl = urlOf(server, config.HOST);
    let identityProviderUrl: string | undefined;
    if (signIn) {
      const connected = await connectSignIn(signIn, config, config.PUBLIC_URL ?? apiUrl);
      if (connected.stop) stops.push(connected.stop);
      identityProviderUrl = connected.issuer;
    }

    let metricsUrl: string | undefined;
    if (config.METRICS_PORT > 0 || options.metricsPort !== undefined) {
      // Prometheus on its own internal port: this process's metrics, and the Temporal
      // worker's (core SDK) metrics when the runtime exports them.
      const internal = express().get('/metrics', async (_req, res) => {
        const own = await metrics.registry.metrics();
        const core = options.temporalMetricsUrl
          ? await fetch(options.temporalMetricsUrl).then((r) => r.text(), () => '')
          : '';
        res.type(metrics.registry.contentType).send(`${own}\n${core}`);
      });
      const metricsServer = await listen(internal, options.metricsPort ?? config.METRICS_PORT, config.HOST);
      stops.push(() => new Promise((resolve) => metricsServer.close(resolve)));
      metricsUrl = `${urlOf(metricsServer, config.HOST)}/metrics`;
    }
    return { apiUrl, metricsUrl, temporalAddress, temporalUiUrl, mongoUri, identityProviderUrl, slaPolicyVersion: slaPolicy.version, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Points sign-in at AUTH_OIDC_ISSUER, or — outside production, without one — at the embedded
 * development provider, started here with this service registered as its client.
 */
async function connectSignIn(signIn: SignIn, config: Config, publicUrl: string): Promise<{ issuer: string; stop?: () => Promise<void> }> {
  const redirectUrl = config.AUTH_OIDC_REDIRECT_URL ?? `${publicUrl}/auth/callback`;
  const postLogoutRedirectUrl = `${publicUrl}/auth/signed-out`;
  const client = { clientId: config.AUTH_OIDC_CLIENT_ID, scopes: config.AUTH_OIDC_SCOPES, redirectUrl, postLogoutRedirectUrl };
  if (config.AUTH_OIDC_ISSUER) {
    signIn.connect({ ...client, issuer: config.AUTH_OIDC_ISSUER, clientSecret: config.AUTH_OIDC_CLIENT_SECRET ?? '' }, publicUrl);
    return { issuer: config.AUTH_OIDC_ISSUER };
  }
  if (config.NODE_ENV === 'production') throw new Error('AUTH_OIDC_ISSUER is required in production');
  // Loaded only here: production never loads the development provider.
  const { startEmbeddedIdentityProvider } = await import('../identity/provider/embedded-provider');
  const clientSecret = config.AUTH_OIDC_CLIENT_SECRET ?? developmentWebClientSecret;
  const provider = await startEmbeddedIdentityProvider({
    port: config.AUTH_DEV_PROVIDER_PORT,
    roleClaim: config.AUTH_ROLE_CLAIM,
    departmentClaim: config.AUTH_DEPARTMENT_CLAIM,
    api: { audience: config.AUTH_OIDC_AUDIENCE },
    clients: [{ clientId: config.AUTH_OIDC_CLIENT_ID, clientSecret, redirectUris: [redirectUrl], postLogoutRedirectUris: [postLogoutRedirectUrl] }],
    machineClients: [{ ...developmentMachineClient, claims: { [config.AUTH_ROLE_CLAIM]: 'agent' } }],
  });
  signIn.connect({ ...client, issuer: provider.issuer, clientSecret }, publicUrl);
  return { issuer: provider.issuer, stop: () => provider.stop() };
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server)).once('error', reject);
  });
}

function urlOf(server: Server, host: string): string {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}
