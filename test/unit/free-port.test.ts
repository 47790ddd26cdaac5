import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onFreePort, PortTakenError, startProcess } from '../../runtime/processes';

/** A port chosen free may be taken before the server binds it: the start is tried on another. */
describe('servers on free ports', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'free-port-')); });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // A server that binds its port the way the real ones do, and exits when it is taken.
  const server = (port: number, logFile: string) => startProcess({
    name: 'listener',
    command: process.execPath,
    args: ['-e', `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('listening ${port}'))
      .on('error', (e) => { console.error(e.code === 'EADDRINUSE' ? 'listen tcp: bind: address already in use' : e.message); process.exit(1); })`],
    logFile,
    ready: async () => readFileSync(logFile, 'utf8').includes(`listening ${port}`),
    readyTimeoutMs: 10_000,
  });

  it('says when a server exits because its port was taken, from this start\'s lines of the log', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const log = path.join(dir, 'taken.log');
    try {
      await expect(server(port, log)).rejects.toBeInstanceOf(PortTakenError);
    } finally {
      taken.close();
    }
    // The same log, a start that fails otherwise: not a taken port, though the log says so above.
    await expect(startProcess({ name: 'broken', command: process.execPath, args: ['-e', 'process.exit(3)'], logFile: log, ready: async () => false }))
      .rejects.not.toBeInstanceOf(PortTakenError);
  });

  it('starts again on another port when the first was taken, and only then', async () => {
    const ports: number[] = [];
    const started = await onFreePort(async (port) => {
      ports.push(port);
      if (ports.length === 1) throw new PortTakenError('taken');
      return port;
    });
    expect(ports).toHaveLength(2);
    expect(started).toBe(ports[1]);

    let tries = 0;
    await expect(onFreePort(async () => { tries++; throw new Error('no binary'); })).rejects.toThrow('no binary');
    expect(tries).toBe(1);
    await expect(onFreePort(async () => { tries++; throw new PortTakenError('taken'); }, 3)).rejects.toBeInstanceOf(PortTakenError);
    expect(tries).toBe(4);
  });

  it('starts a real server on a free port', async () => {
    const log = path.join(dir, 'ok.log');
    const running = await onFreePort((port) => server(port, log));
    await running.stop();
  });
});
