import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '../support/service';

/**
 * The project's FerretDB build speaks the wire protocol as MongoDB does where the service
 * depends on it. An unacknowledged write (`w: 0`, sent with OP_MSG's moreToCome: the sign-in
 * session store sweeps expired sessions so every few minutes) must get no reply: FerretDB v1.24
 * answered it, the connection's next command read that answer as its own (`{ n: 0, ok: 1 }` for a
 * find: "BSON element cursor is missing", a 500), and every command after it the one before's.
 */
describe('FerretDB: unacknowledged writes', () => {
  let client: mongoose.mongo.MongoClient;
  beforeAll(async () => {
    // One connection: the next command surely shares the socket with the unacknowledged write.
    client = await new mongoose.mongo.MongoClient(testMongoUri(), { maxPoolSize: 1, minPoolSize: 1 }).connect();
  });
  afterAll(async () => {
    await client.db().dropDatabase();
    await client.close();
  });

  it('gets no reply, so that each later command on the connection reads its own answer', async () => {
    const sessions = client.db().collection<{ _id: string; expires: Date }>('wire_sessions');
    await sessions.insertMany([{ _id: 'a', expires: new Date(0) }, { _id: 'b', expires: new Date(8.64e15) }]);
    for (let round = 0; round < 3; round++) {
      await sessions.deleteMany({ expires: { $lt: new Date() } }, { writeConcern: { w: 0 } });
      expect(await sessions.find({}).toArray()).toEqual([{ _id: 'b', expires: new Date(8.64e15) }]);
      expect(await sessions.countDocuments({})).toBe(1);
    }
  });
});
