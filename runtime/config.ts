import { signInProblems, signInSettingsShape } from '../identity/sign-in/settings';
import type { TLSConfig } from '@temporalio/client';
import path from 'node:path';
import { z } from 'zod';
import { developmentPayloadKeys } from './payload-codec';
import { temporalTls } from './temporal-tls';

/**
 * Every setting of the service, read from the environment once at start-up.
 * The README's configuration table lists the same variables; keep both in step.
 */
const port = z.coerce.number().int().min(0).max(65535);
const hmacSecret = z.string().min(16, 'use at least 16 characters').optional();
const pemFile = z.string().optional();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('data'),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('complaints'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** The Temporal Web UI ops reach (the console links each case's workflow there); the embedded one when unset. */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** PEM files for TLS with a client certificate to TEMPORAL_ADDRESS (API, worker, ops CLI). */
  TEMPORAL_TLS_CERT: pemFile,
  TEMPORAL_TLS_KEY: pemFile,
  TEMPORAL_TLS_CA: pemFile,
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  /**
   * gzip of the worker's gRPC traffic (decision 027). Off by default: every payload is encrypted
   * and does not compress, and both sides would spend CPU on it.
   */
  TEMPORAL_GRPC_COMPRESSION: z.enum(['none', 'gzip']).default('none'),
  MONGODB_URI: z.string().optional(),
  FERRETDB_PORT: port.default(27017),
  SLA_POLICY_FILE: z.string().optional(),
  AUTH_JWT_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  /** When set, a token must carry this `iss` / `aud`. */
  AUTH_JWT_ISSUER: z.string().optional(),
  AUTH_JWT_AUDIENCE: z.string().optional(),
  ...signInSettingsShape,
  HANDLER_QUALITY_URL: z.url().optional(),
  HANDLER_LOGISTICS_URL: z.url().optional(),
  HANDLER_LEGAL_URL: z.url().optional(),
  HANDLER_PAYMENTS_URL: z.url().optional(),
  /** One signing secret per receiver: none of them can forge calls to another. */
  HANDLER_QUALITY_HMAC_SECRET: hmacSecret,
  HANDLER_LOGISTICS_HMAC_SECRET: hmacSecret,
  HANDLER_LEGAL_HMAC_SECRET: hmacSecret,
  HANDLER_PAYMENTS_HMAC_SECRET: hmacSecret,
  NOTIFY_WEBHOOK_HMAC_SECRET: hmacSecret,
  /** Retired (it signed every receiver alike): refused with a pointer to the settings above. */
  HANDLER_HMAC_SECRET: z.string().optional(),
  HANDLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  NOTIFY_ADAPTER: z.enum(['log', 'webhook', 'smtp']).default('log'),
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL').optional(),
  NOTIFY_FROM: z.string().default('complaints@localhost'),
  NOTIFY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How long a notice's first attempt gives way to the worker's workflow tasks at most (0: never). */
  NOTIFY_YIELD_MAX_MS: z.coerce.number().int().min(0).max(30_000).default(3000),
  /**
   * How often each process looks for case keys destroyed by an erasure (decision 035); while it
   * does, a known key is used for an hour without a read. 0: no looks, a key is read again after
   * a minute (an erasure then reaches the other processes within that minute).
   */
  CASE_KEY_WATCH_MS: z.coerce.number().int().min(0).max(30_000).default(5000),
  /** Workflows kept in the worker's memory between tasks; the others replay their history when they wake. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(1000),
  /** Threads running workflow code; the worker's default (2, decision 033) when unset. */
  WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(8).optional(),
  /** Workflow tasks the worker holds at once (at most the cache); the worker's default (200, decision 038) when unset. */
  WORKER_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).optional(),
  /**
   * Worker Versioning (decision 015): the build this worker runs. Set, the worker joins the
   * worker deployment as this version and takes tasks only once it is the deployment's current
   * version; cases move to it at their next task (auto-upgrade). Unset: unversioned.
   */
  WORKER_BUILD_ID: z.string().regex(/^[\w.+-]{1,255}$/, 'letters, digits and . _ + - only').optional(),
  WORKER_DEPLOYMENT_NAME: z.string().regex(/^[\w.-]{1,255}$/, 'letters, digits and . _ - only').default('complaints'),
  /** `id:base64(32 bytes)` list encrypting Temporal payloads; the first (or PAYLOAD_KEY_ID) encrypts. */
  PAYLOAD_KEYS: z.string().optional(),
  PAYLOAD_KEY_ID: z.string().optional(),
  /**
   * When the retention sweep erases expired personal data: a cron expression in the policy's
   * time zone (a Temporal Schedule, runtime/retention-schedule.ts), or `off`.
   */
  RETENTION_SCHEDULE: z
    .string()
    .regex(/^(off|(\S+\s+){4}\S+)$/, 'a five-field cron expression such as "0 3 * * *", or off')
    .default('0 3 * * *'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** The Temporal UI's codec endpoint: its own body limit (large histories) and rate limit. */
  CODEC_BODY_LIMIT_KB: z.coerce.number().int().min(64).max(65_536).default(4096),
  CODEC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  /** Internal port for /metrics (Prometheus); 0 turns it off. */
  METRICS_PORT: port.default(9464),
  /** A prebuilt workflow bundle (`bundleWorkflowCode` output, as the tests and the benchmark write one); bundled from source at start otherwise. */
  WORKFLOW_BUNDLE: z.string().optional(),
  /** Which parts this process runs: the compose file runs the API and the worker apart. */
  COMPONENTS: z
    .string()
    .default('api,worker')
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['api', 'worker'])).min(1)),
});

export type Config = z.infer<typeof configSchema> & {
  dataDir: string;
  jwtSecret: string;
  payloadKeys: string;
  /** The SDK's `tls` connection option, read from TEMPORAL_TLS_*; undefined = plaintext. */
  temporalTls?: TLSConfig;
};

/** Development only: production refuses to start without AUTH_JWT_SECRET. */
export const developmentJwtSecret = 'development-only-secret-do-not-deploy';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means unset (compose passes `${X:-}` through as '').
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const missing: string[] = [];
  if (config.NODE_ENV === 'production' && !config.AUTH_JWT_SECRET) missing.push('AUTH_JWT_SECRET: required when NODE_ENV=production');
  if (config.NODE_ENV === 'production' && !config.PAYLOAD_KEYS) missing.push('PAYLOAD_KEYS: required when NODE_ENV=production');
  missing.push(...receiverSecretProblems(config));
  missing.push(...signInProblems(config));
  if (config.NOTIFY_ADAPTER === 'webhook' && !config.NOTIFY_WEBHOOK_URL) missing.push('NOTIFY_WEBHOOK_URL: required when NOTIFY_ADAPTER=webhook');
  if (config.NOTIFY_ADAPTER === 'smtp' && !config.SMTP_URL) missing.push('SMTP_URL: required when NOTIFY_ADAPTER=smtp');
  const tls = temporalTls(config);
  missing.push(...tls.problems);
  if (tls.tls && !config.TEMPORAL_ADDRESS) missing.push('TEMPORAL_TLS_*: TLS needs TEMPORAL_ADDRESS (the embedded dev server speaks plaintext)');
  if (missing.length > 0) throw new ConfigError(`Invalid configuration:\n${missing.map((m) => `  ${m}`).join('\n')}`);
  return {
    ...config,
    dataDir: path.resolve(config.DATA_DIR),
    jwtSecret: config.AUTH_JWT_SECRET ?? developmentJwtSecret,
    payloadKeys: config.PAYLOAD_KEYS ?? developmentPayloadKeys,
    ...(tls.tls ? { temporalTls: tls.tls } : {}),
  };
}

/**
 * Every HTTP receiver has a secret of its own, required with its URL, shared with no other
 * receiver: whoever holds one (a department, an SMS vendor) cannot sign calls to the others.
 */
function receiverSecretProblems(config: z.infer<typeof configSchema>): string[] {
  const receivers = [
    ['HANDLER_QUALITY_URL', config.HANDLER_QUALITY_URL, 'HANDLER_QUALITY_HMAC_SECRET', config.HANDLER_QUALITY_HMAC_SECRET],
    ['HANDLER_LOGISTICS_URL', config.HANDLER_LOGISTICS_URL, 'HANDLER_LOGISTICS_HMAC_SECRET', config.HANDLER_LOGISTICS_HMAC_SECRET],
    ['HANDLER_LEGAL_URL', config.HANDLER_LEGAL_URL, 'HANDLER_LEGAL_HMAC_SECRET', config.HANDLER_LEGAL_HMAC_SECRET],
    ['HANDLER_PAYMENTS_URL', config.HANDLER_PAYMENTS_URL, 'HANDLER_PAYMENTS_HMAC_SECRET', config.HANDLER_PAYMENTS_HMAC_SECRET],
    ['NOTIFY_WEBHOOK_URL', config.NOTIFY_WEBHOOK_URL, 'NOTIFY_WEBHOOK_HMAC_SECRET', config.NOTIFY_WEBHOOK_HMAC_SECRET],
  ] as const;
  const problems: string[] = [];
  if (config.HANDLER_HMAC_SECRET) {
    problems.push('HANDLER_HMAC_SECRET: no longer used; give each receiver its own secret (HANDLER_<QUALITY|LOGISTICS|LEGAL|PAYMENTS>_HMAC_SECRET, NOTIFY_WEBHOOK_HMAC_SECRET)');
  }
  const owners = new Map<string, string>();
  for (const [urlName, url, secretName, secret] of receivers) {
    if (url && !secret) problems.push(`${secretName}: required when ${urlName} is set`);
    if (!secret) continue;
    const other = owners.get(secret);
    if (other) problems.push(`${secretName}: must differ from ${other} (one secret per receiver)`);
    else owners.set(secret, secretName);
  }
  return problems;
}
