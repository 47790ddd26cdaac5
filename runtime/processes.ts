import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
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

/**
 * A port chosen by `freePort` is free when chosen, not necessarily when the server binds it:
 * another server starting at the same moment (FerretDB, or the Temporal dev server's own
 * internal ports) may take it in between. Starts `start` on a free port, and on another one
 * when the server exits because its port was taken.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= attempts) throw err;
    }
  }
}

/** The server exited during start-up because an address it binds was in use. */
export class PortTakenError extends Error {}

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
  const logStart = statSync(options.logFile).size;
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
      const message = `${options.name} exited during start-up (log ${options.logFile}):\n${tail()}`;
      throw portTakenSince(options.logFile, logStart) ? new PortTakenError(message) : new Error(message);
    }
    if (await options.ready().catch(() => false)) {
      // Another server on the port may have answered while this one failed to bind it.
      if (!portTakenSince(options.logFile, logStart)) break;
      await stopChild(child, exited);
      throw new PortTakenError(`${options.name} could not bind its port (log ${options.logFile}):\n${tail()}`);
    }
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

/** The server's own lines of its log (from `offset`, where this start began) say its port was taken. */
function portTakenSince(logFile: string, offset: number): boolean {
  return readFileSync(logFile).subarray(offset).toString().includes('address already in use');
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
