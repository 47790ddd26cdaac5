import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { developmentJwtSecret, loadConfig } from '../../runtime/config';

describe('configuration from the environment', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, TEMPORAL_TASK_QUEUE: 'complaints', COMPONENTS: ['api', 'worker'] });
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.jwtSecret).toBe(developmentJwtSecret);
  });

  it('names every bad setting', () => {
    expect(() => loadConfig({ PORT: 'eighty', COMPONENTS: 'api,ui' })).toThrow(/PORT[\s\S]*COMPONENTS/);
  });

  it('refuses to run in production without a JWT secret, payload keys, or sign-in at a real provider', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET[\s\S]*PAYLOAD_KEYS[\s\S]*PUBLIC_URL[\s\S]*AUTH_OIDC_ISSUER[\s\S]*AUTH_OIDC_CLIENT_SECRET[\s\S]*SESSION_SECRET/);
    const keys = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
    const signIn = { PUBLIC_URL: 'https://complaints.example', AUTH_OIDC_ISSUER: 'https://id.example', AUTH_OIDC_CLIENT_SECRET: 'secret', SESSION_SECRET: 's'.repeat(32) };
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), PAYLOAD_KEYS: keys, ...signIn }).jwtSecret).toBe('x'.repeat(32));
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), PAYLOAD_KEYS: keys, ...signIn, SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: use at least 32/);
  });

  it('reads the token rules and the codec endpoint\'s limits', () => {
    expect(loadConfig({})).toMatchObject({ CODEC_BODY_LIMIT_KB: 4096, CODEC_RATE_LIMIT_PER_MINUTE: 600 });
    expect(loadConfig({ AUTH_JWT_ISSUER: 'https://id.example', AUTH_JWT_AUDIENCE: 'complaints' })).toMatchObject({
      AUTH_JWT_ISSUER: 'https://id.example', AUTH_JWT_AUDIENCE: 'complaints',
    });
    expect(() => loadConfig({ CODEC_BODY_LIMIT_KB: '10' })).toThrow(/CODEC_BODY_LIMIT_KB/);
  });

  it('leaves the workflow threads to the worker unless set, and refuses none', () => {
    expect(loadConfig({}).WORKER_WORKFLOW_THREADS).toBeUndefined();
    expect(loadConfig({ WORKER_WORKFLOW_THREADS: '1' }).WORKER_WORKFLOW_THREADS).toBe(1);
    expect(() => loadConfig({ WORKER_WORKFLOW_THREADS: '0' })).toThrow(/WORKER_WORKFLOW_THREADS/);
  });

  it('leaves the workflow tasks held at once to the worker unless set, and refuses fewer than two', () => {
    expect(loadConfig({}).WORKER_WORKFLOW_TASKS).toBeUndefined();
    expect(loadConfig({ WORKER_WORKFLOW_TASKS: '60' }).WORKER_WORKFLOW_TASKS).toBe(60);
    expect(() => loadConfig({ WORKER_WORKFLOW_TASKS: '1' })).toThrow(/WORKER_WORKFLOW_TASKS/);
  });
});

describe('one signing secret per receiver', () => {
  const url = 'http://receiver.example/x';
  const secret = (n: number) => `secret-${n}-0123456789abcdef`;

  it('requires each receiver\'s own secret with its URL, naming it', () => {
    for (const name of ['QUALITY', 'LOGISTICS', 'LEGAL', 'PAYMENTS']) {
      expect(() => loadConfig({ [`HANDLER_${name}_URL`]: url })).toThrow(new RegExp(`HANDLER_${name}_HMAC_SECRET: required when HANDLER_${name}_URL is set`));
      expect(loadConfig({ [`HANDLER_${name}_URL`]: url, [`HANDLER_${name}_HMAC_SECRET`]: secret(1) })).toBeTruthy();
    }
    expect(() => loadConfig({ NOTIFY_ADAPTER: 'webhook', NOTIFY_WEBHOOK_URL: url })).toThrow(/NOTIFY_WEBHOOK_HMAC_SECRET: required when NOTIFY_WEBHOOK_URL is set/);
    expect(loadConfig({ NOTIFY_ADAPTER: 'webhook', NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_HMAC_SECRET: secret(1) })).toBeTruthy();
  });

  it('refuses one secret for two receivers (a gateway could sign payment calls) and the retired shared setting', () => {
    expect(() =>
      loadConfig({ HANDLER_PAYMENTS_URL: url, HANDLER_PAYMENTS_HMAC_SECRET: secret(1), NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_HMAC_SECRET: secret(1) }),
    ).toThrow(/NOTIFY_WEBHOOK_HMAC_SECRET: must differ from HANDLER_PAYMENTS_HMAC_SECRET/);
    expect(() =>
      loadConfig({ HANDLER_QUALITY_URL: url, HANDLER_QUALITY_HMAC_SECRET: secret(1), HANDLER_LOGISTICS_URL: url, HANDLER_LOGISTICS_HMAC_SECRET: secret(1) }),
    ).toThrow(/HANDLER_LOGISTICS_HMAC_SECRET: must differ from HANDLER_QUALITY_HMAC_SECRET/);
    expect(() => loadConfig({ HANDLER_PAYMENTS_URL: url, HANDLER_HMAC_SECRET: secret(1) })).toThrow(
      /HANDLER_HMAC_SECRET: no longer used[\s\S]*HANDLER_PAYMENTS_HMAC_SECRET: required/,
    );
  });
});

describe('TLS to Temporal', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tls-config-'));
  const file = (name: string) => path.join(dir, name);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=complaints', '-keyout', file('client.key'), '-out', file('client.pem')], { stdio: 'ignore' });
  writeFileSync(file('not-a-cert.pem'), 'hello');
  const address = { TEMPORAL_ADDRESS: 'temporal.internal:7233' };

  it('is off unless configured', () => {
    expect(loadConfig(address).temporalTls).toBeUndefined();
  });

  it('turns the files into the SDK\'s connection options', () => {
    const config = loadConfig({
      ...address, TEMPORAL_TLS_CERT: file('client.pem'), TEMPORAL_TLS_KEY: file('client.key'), TEMPORAL_TLS_CA: file('client.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(config.temporalTls).toEqual({
      clientCertPair: { crt: readFileSync(file('client.pem')), key: readFileSync(file('client.key')) },
      serverRootCACertificate: readFileSync(file('client.pem')),
      serverNameOverride: 'temporal.internal',
    });
    expect(loadConfig({ ...address, TEMPORAL_TLS_CA: file('client.pem') }).temporalTls).toEqual({ serverRootCACertificate: readFileSync(file('client.pem')) });
  });

  it('names a missing or wrong file, a certificate without its key, and TLS to the embedded server', () => {
    expect(() => loadConfig({ ...address, TEMPORAL_TLS_CERT: file('missing.pem'), TEMPORAL_TLS_KEY: file('client.key') })).toThrow(
      new RegExp(`TEMPORAL_TLS_CERT: cannot read ${file('missing.pem')} \\(ENOENT\\)`),
    );
    expect(() => loadConfig({ ...address, TEMPORAL_TLS_CA: file('not-a-cert.pem') })).toThrow(/TEMPORAL_TLS_CA: .* is not a PEM file/);
    expect(() => loadConfig({ ...address, TEMPORAL_TLS_KEY: file('client.pem') })).toThrow(/TEMPORAL_TLS_CERT: required with TEMPORAL_TLS_KEY[\s\S]*TEMPORAL_TLS_KEY: .* is not a PEM file/);
    expect(() => loadConfig({ TEMPORAL_TLS_CA: file('client.pem') })).toThrow(/TLS needs TEMPORAL_ADDRESS/);
  });
});

describe("the worker's gRPC compression", () => {
  it('is off unless gzip is asked for, and refuses anything else', () => {
    expect(loadConfig({}).TEMPORAL_GRPC_COMPRESSION).toBe('none');
    expect(loadConfig({ TEMPORAL_GRPC_COMPRESSION: 'gzip' }).TEMPORAL_GRPC_COMPRESSION).toBe('gzip');
    expect(() => loadConfig({ TEMPORAL_GRPC_COMPRESSION: 'zstd' })).toThrow(/TEMPORAL_GRPC_COMPRESSION/);
  });
});
