import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A server process this service started and must stop. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Asks the OS for a port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function portIsOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(500);
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

// setpriv makes the kernel send SIGTERM to the server if this Node process dies without
// cleaning up (SIGKILL, crash), so no embedded server outlives the service or a test run.
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/**
 * Starts a server, writes its output to `logFile`, and resolves once `ready()` says so.
 * Rejects with the log's tail if the process exits first or readiness times out.
 */
export async function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}): Promise<ManagedProcess> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  const [command, args] = setpriv
    ? [setpriv, ['--pdeathsig', 'TERM', '--', options.command, ...options.args]]
    : [options.command, options.args];
  const child = spawn(command, args, { stdio: ['ignore', out, out] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const tail = () => readFileSync(options.logFile, 'utf8').split('\n').slice(-15).join('\n');
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) {
      throw new Error(`${options.name} exited during start-up (log ${options.logFile}):\n${tail()}`);
    }
    if (await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`${options.name} not ready in time (log ${options.logFile}):\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: options.name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
