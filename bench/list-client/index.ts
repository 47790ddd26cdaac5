// The list figure's client, in a worker thread with a heap of its own (./thread.ts). In the
// benchmark's own thread, its collector's major cycles over the heap the earlier figures and the
// seeding left (the main thread and four helper threads, 20–40 ms on both cores) stalled the
// requests in flight and made half of the list's slowest (docs/performance.md, 2026-12-07).
// Its CPU still counts as the benchmark's: it is one process.
import { Worker } from 'node:worker_threads';

export interface ListClientOptions {
  url: string;
  token: string;
  /** Query strings, taken in turn. */
  filters: string[];
}

export interface ListRun {
  requests: number;
  concurrency: number;
}

/** The thread's messages: started and warmed up; one request done; a run's latencies in ms, by request. */
export type ListClientMessage = 'ready' | 'done' | { latencies: number[] } | { error: string };

export class ListClient {
  private onMessage: (message: ListClientMessage) => void = () => {};
  private onFailure: (err: Error) => void = () => {};
  /** Set once the thread has ended: a run asked after it fails instead of waiting for ever. */
  private ended?: Error;

  private constructor(private readonly thread: Worker) {
    thread.on('message', (message: ListClientMessage) => this.onMessage(message));
    thread.on('error', (err) => this.onFailure(err));
    thread.on('exit', (code) => {
      this.ended = new Error(`the list client's thread ended (${code})`);
      this.onFailure(this.ended);
    });
  }

  static async start(options: ListClientOptions): Promise<ListClient> {
    // A worker thread does not inherit `--import tsx`'s hooks on Node 20: it registers them first.
    const source = JSON.stringify(new URL('./thread.ts', import.meta.url).href);
    const thread = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); })`, { eval: true, workerData: options });
    const client = new ListClient(thread);
    await client.next(() => {});
    return client;
  }

  /** One run's latencies; `progress` after each request. */
  run(request: ListRun, progress: () => void): Promise<number[]> {
    if (this.ended) return Promise.reject(this.ended);
    const latencies = this.next(progress);
    this.thread.postMessage(request);
    return latencies;
  }

  async close(): Promise<void> {
    this.onFailure = () => {};
    await this.thread.terminate();
  }

  /** The thread's next answer: `'ready'` or a run's end. */
  private next(progress: () => void): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.onFailure = reject;
      this.onMessage = (message) => {
        if (message === 'done') progress();
        else if (message === 'ready') resolve([]);
        else if ('error' in message) reject(new Error(message.error));
        else resolve(message.latencies);
      };
    });
  }
}
