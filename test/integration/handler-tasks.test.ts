import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerTaskModel } from '../../activities/handlers';
import { loadConfig } from '../../runtime/config';
import { handlerGateway } from '../../runtime/integrations';
import { connectNotingCommands, type SentCommand } from '../support/command-log';
import { testMongoUri } from '../support/service';

/**
 * Every record of a case names all its settled requests, so closing their manual tasks runs
 * on every change after the first one settles: it must cost the case's tasks, not the collection's.
 */
describe('manual handler tasks closed with the case record', () => {
  let db: Connection;
  let noted: (work: () => Promise<unknown>) => Promise<SentCommand[]>;
  const commandsOf = async (work: () => Promise<unknown>) =>
    (await noted(work)).filter((c) => ['find', 'update', 'delete'].includes(c.name));

  beforeAll(async () => {
    ({ db, commandsOf: noted } = await connectNotingCommands(testMongoUri()));
    await handlerTaskModel(db).init();
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  const task = (complaintId: string, key: string) => ({
    _id: `${complaintId}:${key}`, complaintId, handler: 'quality', kind: 'investigation', status: 'open',
    request: { complaintId, key }, createdAt: new Date(),
  });

  it('closes the settled requests\' open tasks of that case only, found by the case, each written by its id', async () => {
    const tasks = handlerTaskModel(db);
    await tasks.collection.insertMany([task('a', 'investigation:quality'), task('a', 'investigation:legal'), task('a', 'replacement:v1'), task('b', 'investigation:quality')] as never[]);
    const gateway = handlerGateway(loadConfig({}), tasks);

    const sent = await commandsOf(() => gateway.closeTasks('a', ['a:investigation:quality', 'a:investigation:legal']));
    const status = async () => Object.fromEntries((await tasks.find({}).lean()).map((t) => [t._id, t.status]));
    expect(await status()).toEqual({
      'a:investigation:quality': 'done', 'a:investigation:legal': 'done', 'a:replacement:v1': 'open', 'b:investigation:quality': 'open',
    });
    // One hinted read by the case; the writes name one id each (FerretDB reads the whole
    // collection for an `_id: { $in }` filter).
    expect(sent[0]).toMatchObject({ name: 'find', command: { filter: { complaintId: 'a', status: 'open' }, hint: { complaintId: 1 } } });
    const updates = sent.filter((c) => c.name === 'update').flatMap((c) => c.command.updates as Array<{ q: Record<string, unknown> }>);
    expect(updates.map((u) => u.q._id).sort()).toEqual(['a:investigation:legal', 'a:investigation:quality']);

    // The next record of the case names the same requests: one read, nothing written.
    const again = await commandsOf(() => gateway.closeTasks('a', ['a:investigation:quality', 'a:investigation:legal']));
    expect(again.map((c) => c.name)).toEqual(['find']);
  });
});
