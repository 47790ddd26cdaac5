import { MongoClient } from 'mongodb';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedFerretDb } from '../../runtime/embedded';
import { onFreePort, PortTakenError } from '../../runtime/processes';

/**
 * A port chosen free can be taken by another server before ours binds it (the tests' servers
 * start together). The real FerretDB on a port another server holds: refused as a taken port,
 * not taken for ready because something answers there; on a free port it starts.
 */
describe('an embedded server whose port another server holds (a FerretDB of its own)', () => {
  let dir: string;
  let other: net.Server;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'taken-port-'));
    // Another server, as Temporal's internal services are: it accepts connections, speaks no MongoDB.
    other = net.createServer((socket) => socket.on('error', () => {})).listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
  });
  afterAll(async () => {
    other.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused as a taken port, and started on another one', { timeout: 60_000 }, async () => {
    const taken = (other.address() as net.AddressInfo).port;
    await expect(startEmbeddedFerretDb({ dataDir: dir, port: taken })).rejects.toBeInstanceOf(PortTakenError);

    const ports: number[] = [];
    const ferret = await onFreePort((port) => {
      ports.push(port);
      return startEmbeddedFerretDb({ dataDir: dir, port: ports.length === 1 ? taken : port });
    });
    try {
      expect(ports).toHaveLength(2);
      expect(ferret.uri).toContain(`:${ports[1]}/`);
      const client = await MongoClient.connect(ferret.uri, { directConnection: true });
      try {
        expect(await client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
      } finally {
        await client.close();
      }
    } finally {
      await ferret.stop();
    }
  });
});
