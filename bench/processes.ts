// The benchmark's view of the processes it measures: the API and the worker each in a process
// of its own (as the compose file runs them), and the CPU time each process of the machine spent.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../runtime/processes';

export interface ServiceProcess {
  pid: number;
  /** Where its HTTP port (the API, or the health checks of a worker alone) listens. */
  url: string;
  /** Resident set size (kernel) and V8 heap in use (the process's own Prometheus metrics). */
  memory(): Promise<{ rssMb: number; heapMb: number }>;
  /** The last lines it wrote (stdout and stderr): what a failed run shows. */
  output(): string;
  stop(): Promise<void>;
}

/** What `cpuSeconds` calls the processes started here (all of them are `node` to the kernel). */
const labels = new Map<number, string>();

/**
 * Starts `entry` (worker.ts: COMPONENTS=worker; main.ts with COMPONENTS=api: the API alone)
 * against the given servers; resolves when ready.
 */
export async function startServiceProcess(root: string, entry: 'worker.ts' | 'main.ts', label: string, env: Record<string, string>): Promise<ServiceProcess> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  let output = '';
  // BENCH_CPU_PROF=dir: the process writes a V8 CPU profile there when it stops.
  // Sampled every 10 ms: at V8's default (1 ms) an idle process spends a tenth of a core on
  // sampling, and the benchmark's waits for a quiet system never end.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-interval=10000', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_SERVICE_NODE_ARGS="--trace-gc …": Node flags for the API and the worker only (an
  // experiment's, not the raw baseline's, which runs in the benchmark's own process).
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...nodeArgs, '--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    // The heap cap `npm start` and the Dockerfile give every process, unless NODE_OPTIONS says otherwise.
    env: { NODE_OPTIONS: '--max-old-space-size=512', ...process.env, ...env, PORT: String(port), METRICS_PORT: String(metricsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
  // BENCH_OUTPUT_DIR=dir: the whole output of each process, not only its last 20 KB on failure.
  const outputDir = process.env.BENCH_OUTPUT_DIR;
  if (outputDir) {
    const file = path.join(outputDir, `${label.replace(/\W+/g, '-')}.log`);
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (d) => appendFileSync(file, d));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 250))) {
    if (child.exitCode !== null) throw new Error(`the ${label} exited during start-up:\n${output}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`the ${label} was not ready in 120 s:\n${output}`);
  }
  const pid = child.pid!;
  labels.set(pid, label);
  return {
    pid,
    url,
    async memory() {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      const metrics = await res.text();
      const heap = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1] ?? NaN);
      // The 2026-12-05 full run read no heap (null in its JSON) where a quick run does: say why.
      if (Number.isNaN(heap)) console.error(`${label}: no heap in its metrics (HTTP ${res.status}): ${metrics.slice(0, 300)}`);
      return { rssMb: rssOf(pid) / 2 ** 20, heapMb: heap / 2 ** 20 };
    },
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

const ticksPerSecond = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) so far of this process and each process it started, by name; a
 * started process counts with its descendants (PostgreSQL's backends go to `postgres`), live
 * ones and those it has reaped.
 */
export function cpuSeconds(): Record<string, number> {
  const own = process.cpuUsage();
  const byName: Record<string, number> = { 'bench (client, raw worker)': (own.user + own.system) / 1e6 };
  const processes = new Map<number, { ppid: number; name: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name is in parentheses and may hold spaces; the fields after it are fixed.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime + cutime + cstime: its own and that of the children it has reaped.
      const seconds = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
      processes.set(Number(entry), { ppid: Number(fields[1]), name, seconds });
    } catch {
      // The process ended while we read it.
    }
  }
  for (const [pid, p] of processes) {
    // The ancestor that this process started directly, if any.
    let top = pid;
    for (let up = p.ppid; up !== process.pid; up = processes.get(up)?.ppid ?? 0) {
      if (!processes.has(up)) {
        top = 0;
        break;
      }
      top = up;
    }
    // The profiler of BENCH_SERVER_PROF is the benchmark's tool, not a part of the system measured.
    if (!top || processes.get(top)!.name === 'perf') continue;
    const label = labels.get(top) ?? processes.get(top)!.name;
    byName[label] = (byName[label] ?? 0) + p.seconds;
  }
  return byName;
}

/** CPU seconds each process spent between two snapshots. */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, s]) => [name, Math.round((s - (before[name] ?? 0)) * 10) / 10]));
}
