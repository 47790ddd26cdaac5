import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationModel, type NotificationDocument } from '../../activities/outbox';
import { maxStatementsPerWrite, SentRecords } from '../../activities/notifications/sent-records';
import { startEmbeddedFerretDb, type EmbeddedMongo } from '../../runtime/embedded';
import { freePort } from '../../runtime/processes';
import { connectNotingCommands } from '../support/command-log';

/**
 * A burst of deliveries recorded at once. FerretDB holds a connection per update statement of
 * a command (a pool of 100): one command of 100 statements hung it, and every query after it.
 * A FerretDB of its own, so that a regression hangs this test only.
 */
describe('recording a burst of delivered messages (a FerretDB of its own)', () => {
  let dir: string;
  let ferret: EmbeddedMongo;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sent-records-'));
    ferret = await startEmbeddedFerretDb({ dataDir: dir, port: await freePort() });
  });
  afterAll(async () => {
    await ferret?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records 250 messages sent together, in writes of at most 50 statements', { timeout: 60_000 }, async () => {
    const { db, commandsOf } = await connectNotingCommands(ferret.uri);
    try {
      const notifications = notificationModel(db);
      const now = new Date();
      const docs = Array.from({ length: 250 }, (_, i): NotificationDocument => ({
        _id: `c1:n${i}:consumer`, complaintId: 'c1', key: `n${i}`, event: 'acknowledged', recipient: 'consumer', data: {},
        channel: 'email', locale: 'en', status: 'pending', attempts: 1, nextAttemptAt: now, createdAt: now, position: i, due: now.toISOString(),
      }));
      await notifications.insertMany(docs);
      const sent = await commandsOf(() => new SentRecords(notifications).record(docs.map((doc) => ({ doc, to: 'li.wei@example.org' }))));

      const updates = sent.filter((c) => c.name === 'update').map((c) => (c.command.updates as unknown[]).length);
      expect(updates).toEqual([50, 50, 50, 50, 50]);
      expect(Math.max(...updates)).toBeLessThanOrEqual(maxStatementsPerWrite);
      expect(await notifications.countDocuments({ status: 'sent', due: { $exists: false } })).toBe(250);
    } finally {
      await db.close();
    }
  });
});
