import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { ApiClient, testDataConverter } from '../../support/service';
import type { ClusterInfo } from './settings';

export { clusterSecrets, deploymentName, type ClusterInfo } from './settings';

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}


export const clusterInfo = (): ClusterInfo => inject('cluster');

/** Both APIs, taken in turn: requests are spread over them as a load balancer would. */
export function apis(): { next(): ApiClient; all: ApiClient[] } {
  const all = clusterInfo().apiUrls.map((url) => new ApiClient(url));
  let i = 0;
  return { all, next: () => all[i++ % all.length]! };
}

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(new URL(path, clusterInfo().controlUrl), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
}

/** Kill, start and replace the cluster's processes; read what its receivers got. */
export const control = {
  processes: (): Promise<Array<{ name: string; running: boolean; pid?: number }>> => call('GET', '/processes'),
  kill: (name: string, signal: NodeJS.Signals = 'SIGKILL') => call('POST', `/processes/${name}/kill`, { signal }),
  start: (name: string) => call('POST', `/processes/${name}/start`, {}),
  stop: (name: string) => call('POST', `/processes/${name}/stop`, {}),
  /** Stops a worker or API and starts it again with `env` on top of its settings (a deploy). */
  replace: (name: string, env: Record<string, string>) => call('POST', `/replace/${name}`, { env }),
  setCurrentVersion: (buildId: string) => call('POST', '/deployment/current', { buildId }),
  log: (name: string, lines = 50): Promise<string> => call('GET', `/logs/${name}?lines=${lines}`),
  /** The payment service refuses (503) this case's payments, or pays them again. */
  refusePayments: (complaintId: string, refuse: boolean) => call('POST', '/handlers/payments/refuse', { complaintId, refuse }),
  payments: (): Promise<Array<[string, { reference: string; amount: number }]>> => call('GET', '/handlers/payments'),
  requests: (path: string): Promise<Array<{ body: any; idempotencyKey: string | null }>> => call('GET', `/handlers/requests?path=${encodeURIComponent(path)}`),
};

/** A Temporal client on the cluster's frontend, decrypting payloads as the service does. */
export async function clusterTemporal(): Promise<Client> {
  const { temporalAddress, namespace, mongoUri } = clusterInfo();
  const connection = await Connection.connect({ address: temporalAddress });
  return new Client({ connection, namespace, dataConverter: testDataConverter(mongoUri) });
}
