import type { TLSConfig } from '@temporalio/client';
import { readFileSync } from 'node:fs';

/**
 * TLS to the Temporal frontend, with a client certificate (mTLS), from PEM files named by
 * TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY / TEMPORAL_TLS_CA. The same options serve the API's
 * client connection, the worker's native connection and the ops CLI.
 */
export interface TemporalTlsSettings {
  TEMPORAL_TLS_CERT?: string;
  TEMPORAL_TLS_KEY?: string;
  TEMPORAL_TLS_CA?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
}

/** The SDK's `tls` option, or undefined for plaintext; problems name the setting. */
export function temporalTls(settings: TemporalTlsSettings): { tls?: TLSConfig; problems: string[] } {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_SERVER_NAME: serverName } = settings;
  if (!cert && !key && !ca && !serverName) return { problems: [] };
  const problems: string[] = [];
  if (Boolean(cert) !== Boolean(key)) {
    problems.push(cert ? 'TEMPORAL_TLS_KEY: required with TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_CERT: required with TEMPORAL_TLS_KEY');
  }
  const pem = (setting: string, file: string | undefined, label: RegExp): Buffer | undefined => {
    if (!file) return undefined;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      problems.push(`${setting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return undefined;
    }
    if (!label.test(bytes.toString('utf8'))) problems.push(`${setting}: ${file} is not a PEM file of the expected kind`);
    return bytes;
  };
  const crt = pem('TEMPORAL_TLS_CERT', cert, /-----BEGIN CERTIFICATE-----/);
  const privateKey = pem('TEMPORAL_TLS_KEY', key, /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/);
  const root = pem('TEMPORAL_TLS_CA', ca, /-----BEGIN CERTIFICATE-----/);
  if (problems.length > 0) return { problems };
  return {
    problems,
    tls: {
      ...(crt && privateKey ? { clientCertPair: { crt, key: privateKey } } : {}),
      ...(root ? { serverRootCACertificate: root } : {}),
      ...(serverName ? { serverNameOverride: serverName } : {}),
    },
  };
}
