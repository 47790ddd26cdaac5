import { DefaultLogger, Runtime } from '@temporalio/worker';
import { SlaPolicyError } from './domain/sla-policy';
import { ConfigError, developmentJwtSecret, loadConfig } from './runtime/config';
import { createLogger } from './runtime/logger';
import { freePort } from './runtime/processes';
import { startService } from './runtime/service';

/** `npm start`: everything in one process, embedded servers included unless configured away. */
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const logger = createLogger(config.LOG_LEVEL);
// This process owns its signals: it stops the API, the worker and the servers in order.
// The worker's own metrics (task latencies, slots, polls) are exported on a loopback port
// and merged into /metrics on METRICS_PORT.
const temporalMetricsPort = config.METRICS_PORT > 0 ? await freePort() : 0;
Runtime.install({
  logger: new DefaultLogger('WARN'),
  shutdownSignals: [],
  ...(temporalMetricsPort
    ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${temporalMetricsPort}` }, metricPrefix: 'temporal_' } } }
    : {}),
});
if (config.jwtSecret === developmentJwtSecret) {
  logger.warn('AUTH_JWT_SECRET is not set: using the development secret (never do this in production)');
}

let service: Awaited<ReturnType<typeof startService>> | undefined;
let stopping = false;
/** Stops what it can within `ms` (a failed worker may hold on to its polls), then exits. */
const stopAndExit = (code: number, ms = 15_000) => {
  stopping = true;
  const stopped = service ? service.stop() : Promise.resolve();
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms).unref());
  void Promise.race([stopped, timer]).then(
    (late) => {
      if (late === 'late') logger.error('stopping took too long: exiting anyway');
      process.exit(code);
    },
    (err) => {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    },
  );
};
try {
  service = await startService(config, logger, {
    ...(temporalMetricsPort ? { temporalMetricsUrl: `http://127.0.0.1:${temporalMetricsPort}/metrics` } : {}),
    // A failed worker never polls again: exit non-zero, so the supervisor (compose's restart
    // policy, systemd, Kubernetes) starts a process that works.
    onFatal: () => {
      if (!stopping) stopAndExit(1);
    },
  });
} catch (err) {
  if (err instanceof SlaPolicyError) {
    console.error(err.message);
    process.exit(2);
  }
  // A server that cannot be reached, a port in use: say so in one line, no stack trace.
  logger.fatal({ reason: (err as Error).message }, 'the service could not start');
  process.exit(1);
}
const site = config.PUBLIC_URL ?? service.apiUrl;
const lines = [
  config.COMPONENTS.includes('api') && `Portal       ${site}/          (consumers: open and follow a complaint)`,
  config.COMPONENTS.includes('api') && `Console      ${site}/console   (staff: queue, inbox, supervisor, ops)`,
  config.COMPONENTS.includes('api') && `Sign in      ${site}/auth/login`,
  service.identityProviderUrl && `Identity     ${service.identityProviderUrl}${config.AUTH_OIDC_ISSUER ? '' : ' (development provider: users in docs/auth.md)'}`,
  config.COMPONENTS.includes('api') && `API          ${service.apiUrl}/api/v1`,
  config.COMPONENTS.includes('api') && `API docs     ${service.apiUrl}/docs`,
  `Readiness    ${service.apiUrl}/readyz`,
  service.metricsUrl && `Metrics      ${service.metricsUrl}`,
  service.temporalUiUrl && config.COMPONENTS.includes('api') && !config.TEMPORAL_ADDRESS && `Temporal UI  ${site}/temporal (ops sign-in: payloads decoded)`,
  `Temporal     ${service.temporalAddress}`,
  `MongoDB      ${service.mongoUri}`,
  `SLA policy   ${service.slaPolicyVersion}`,
  `Running: ${config.COMPONENTS.join(' + ')}. Ctrl-C stops everything.`,
].filter(Boolean);
console.log(`\n${lines.join('\n')}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    logger.info({ signal }, 'stopping');
    stopAndExit(0, 60_000);
  });
}
