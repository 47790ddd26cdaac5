import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import mongoose from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { installTestRuntime, testClient, testMongoUri } from './service';

export interface RealServers {
  /** The test's own database on the test FerretDB. */
  db: mongoose.Connection;
  /** A client with the services' data converter. */
  client: Client;
  /** A worker's connection to the test Temporal server. */
  connection: NativeConnection;
}

/** For a test that runs its own worker: opened before its tests, closed after (call inside `describe`). */
export function connectToRealServers(): RealServers {
  const servers = {} as RealServers;
  beforeAll(async () => {
    installTestRuntime();
    servers.db = await mongoose.createConnection(testMongoUri()).asPromise();
    servers.client = await testClient();
    servers.connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await servers.db?.close();
    await servers.client?.connection.close();
    await servers.connection?.close();
  });
  return servers;
}
