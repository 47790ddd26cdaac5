// The list figure's HTTP client: a worker thread of the benchmark (./index.ts starts it).
import { parentPort, workerData } from 'node:worker_threads';
import type { ListClientMessage, ListClientOptions, ListRun } from './index';

const { url, token, filters } = workerData as ListClientOptions;
const port = parentPort!;

const list = async (filter: string) => {
  const res = await fetch(`${url}/api/v1/complaints?limit=20&${filter}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`list answered ${res.status}`);
  await res.arrayBuffer();
};

/** `requests` requests, `concurrency` at a time; request `i` asks with `filters[i % filters.length]`. */
async function run({ requests, concurrency }: ListRun): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t = performance.now();
        await list(filters[i % filters.length]!);
        latencies[i] = performance.now() - t;
        port.postMessage('done' satisfies ListClientMessage);
      }
    }),
  );
  return latencies;
}

port.on('message', (request: ListRun) => {
  run(request).then(
    (latencies) => port.postMessage({ latencies } satisfies ListClientMessage),
    (err: unknown) => port.postMessage({ error: String(err) } satisfies ListClientMessage),
  );
});
// One request unmeasured: the thread's first `fetch` loads and compiles the HTTP client (≈ 40 ms).
await list(filters[0]!);
port.postMessage('ready' satisfies ListClientMessage);
