import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** How to run one process of the topology, and how to know it is ready. */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logFile: string;
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** The signal that stops it cleanly: SIGINT is PostgreSQL's fast shutdown. */
  stopSignal?: NodeJS.Signals;
}

// The kernel sends the stop signal to a child if this process dies without cleaning up, so no
// server outlives the launcher or a test run.
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/**
 * One process of the topology that can be killed (SIGKILL, as a crash) and started again with
 * the same command, ports and data — what the cluster tests do to workers, history and
 * PostgreSQL.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts it and resolves once ready; rejects with its log's tail if it exits or is late. */
  async start(): Promise<void> {
    if (this.running) return;
    const { spec } = this;
    mkdirSync(path.dirname(spec.logFile), { recursive: true });
    const out = openSync(spec.logFile, 'a');
    const [command, args] = setpriv
      ? [setpriv, ['--pdeathsig', spec.stopSignal ?? 'SIGTERM', '--', spec.command, ...spec.args]]
      : [spec.command, spec.args];
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', out, out],
      // Its own process group: Ctrl-C reaches the launcher only, which stops every process in
      // order (PostgreSQL last); a launcher that dies takes them along by the death signal.
      detached: true,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + (spec.readyTimeoutMs ?? 90_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${spec.name} exited during start-up (log ${spec.logFile}):\n${this.logTail()}`);
      }
      if (await spec.ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        await this.kill('SIGKILL');
        throw new Error(`${spec.name} not ready in time (log ${spec.logFile}):\n${this.logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Sends a signal and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child!.kill(signal);
    await this.exited;
  }

  /** Stops it cleanly, SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const late = setTimeout(() => this.child?.kill('SIGKILL'), 20_000);
    await this.kill(this.spec.stopSignal ?? 'SIGTERM');
    clearTimeout(late);
  }

  logTail(lines = 20): string {
    try {
      // A Go stack trace is one very long JSON line: the start of each is enough to say what broke.
      return readFileSync(this.spec.logFile, 'utf8').split('\n').slice(-lines).map((l) => l.slice(0, 600)).join('\n');
    } catch {
      return '';
    }
  }
}
