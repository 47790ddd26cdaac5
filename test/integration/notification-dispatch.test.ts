import mongoose, { type Connection } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeliveryAdapter, OutgoingMessage } from '../../activities/notifications/adapters';
import { NotificationDispatcher } from '../../activities/notifications/dispatcher';
import { notificationModel, NotificationOutbox } from '../../activities/outbox';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { createLogger } from '../../runtime/logger';
import { eventually, testMongoUri } from '../support/service';

/** Records every delivery; each takes a little while, as a real gateway does. */
class RecordingAdapter implements DeliveryAdapter {
  readonly name = 'recording';
  readonly delivered: OutgoingMessage[] = [];
  async deliver(message: OutgoingMessage): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    this.delivered.push(message);
  }
}

/**
 * Several dispatchers, in several processes or as several loops of one, share one outbox.
 * Each message must be claimed once per attempt: delivered once, counted once.
 */
describe('notification dispatchers racing for one outbox', () => {
  let db: Connection;
  const dispatchers: NotificationDispatcher[] = [];

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri()).asPromise();
  });
  // Each test's dispatchers stop with it: the next test's messages are its own to deliver.
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  it('delivers each of 80 messages exactly once with 3 dispatchers of 4 loops each', async () => {
    const notifications = notificationModel(db);
    await notifications.init();
    const outbox = new NotificationOutbox(notifications);
    const adapter = new RecordingAdapter();
    for (let n = 0; n < 40; n++) {
      await outbox.enqueue(
        `race-${n}`,
        (['supervisor', 'assignee'] as const).map((recipient) => ({
          key: `escalated:${n}`, event: 'escalated', recipient, data: { complaintId: `race-${n}`, from: 1, to: 2, reason: 'test', assignee: 'a1' },
        })),
        { locale: 'en', consumerChannel: 'email' },
      );
    }
    for (let d = 0; d < 3; d++) {
      const dispatcher = new NotificationDispatcher({
        notifications, readModel: new ComplaintReadModel(complaintModel(db)), adapter, logger: createLogger('error'), timezone: 'Asia/Shanghai',
        pollMs: 20, concurrency: 4,
      });
      dispatchers.push(dispatcher);
      dispatcher.start();
    }

    const rows = await eventually(async () => {
      const all = await notifications.find({}).lean();
      return all.length === 80 && all.every((r) => r.status === 'sent') ? all : null;
    }, 60_000);
    const perMessage = new Map<string, number>();
    for (const m of adapter.delivered) perMessage.set(m.id, (perMessage.get(m.id) ?? 0) + 1);
    expect(perMessage.size).toBe(80);
    expect([...perMessage.values()].filter((count) => count > 1)).toEqual([]);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });

  // Before decision 023 a message's due time lived in a queue collection of its own; a worker
  // of that version may have left entries there (the oldest without `due`, a leased one with it).
  it('delivers what an older version queued: its entries move onto the messages, a lease kept', async () => {
    const notifications = notificationModel(db);
    const adapter = new RecordingAdapter();
    const message = (n: string) => ({
      _id: `${n}:escalated:supervisor`, complaintId: n, key: 'escalated', event: 'escalated', recipient: 'supervisor',
      data: { complaintId: n, from: 1, to: 2, reason: 'r' }, channel: 'app', locale: 'en', status: 'pending', attempts: 0,
      nextAttemptAt: new Date(), createdAt: new Date(), position: 0,
    });
    const leasedUntil = new Date(Date.now() + 1500);
    await db.collection('notification_queue').insertMany([
      { _id: 'old-1:escalated:supervisor', nextAttemptAt: new Date() },
      { _id: 'old-2:escalated:supervisor', nextAttemptAt: leasedUntil, due: leasedUntil.toISOString() },
      // Its message not written yet (the older version queued first): left for a later pass.
      { _id: 'old-3:escalated:supervisor', nextAttemptAt: new Date() },
    ] as never[]);
    await notifications.collection.insertMany([message('old-1'), message('old-2')] as never[]);
    const dispatcher = new NotificationDispatcher({
      notifications, readModel: new ComplaintReadModel(complaintModel(db)), adapter, logger: createLogger('error'), timezone: 'Asia/Shanghai', pollMs: 20,
    });
    dispatchers.push(dispatcher);
    dispatcher.start();
    await eventually(async () => ((await notifications.findById('old-1:escalated:supervisor').lean())?.status === 'sent' ? true : null), 20_000);
    const leased = await eventually(async () => {
      const r = await notifications.findById('old-2:escalated:supervisor').lean();
      return r?.status === 'sent' ? r : null;
    }, 20_000);
    expect(leased.sentAt!.getTime()).toBeGreaterThanOrEqual(leasedUntil.getTime() - 50);
    expect(leased.due).toBeUndefined();
    const left = await db.collection('notification_queue').find({}).toArray();
    expect(left.map((e) => e._id)).toEqual(['old-3:escalated:supervisor']);
    expect(adapter.delivered.filter((m) => m.complaintId.startsWith('old-')).map((m) => m.complaintId).sort()).toEqual(['old-1', 'old-2']);
  });
  it('queues a retried batch once: rows already there are kept, a new notice in it is added', async () => {
    const notifications = notificationModel(db);
    const outbox = new NotificationOutbox(notifications);
    const notice = (recipient: 'supervisor' | 'assignee') => ({ key: 'escalated:retry', event: 'escalated', recipient, data: { complaintId: 'retry-1', from: 1, to: 2, reason: 'r' } });
    await outbox.enqueue('retry-1', [notice('supervisor')], { locale: 'en', consumerChannel: 'email' });
    const first = (await notifications.findById('retry-1:escalated:retry:supervisor').lean())!;
    await new Promise((r) => setTimeout(r, 5));
    await outbox.enqueue('retry-1', [notice('supervisor'), notice('assignee')], { locale: 'zh-CN', consumerChannel: 'email' });
    const rows = await outbox.list('retry-1');
    expect(rows.map((r) => r.recipient)).toEqual(['supervisor', 'assignee']);
    expect(rows[0]).toMatchObject({ locale: 'en', createdAt: first.createdAt, status: 'pending', attempts: 0, due: first.due });
    // Both due for a dispatcher (no first attempt was leased to anyone).
    expect(rows.every((r) => typeof r.due === 'string' && Date.parse(r.due) <= Date.now())).toBe(true);
  });

  it('takes over a message whose dispatcher died after its claim, once the lease is over, and counts that attempt', async () => {
    const notifications = notificationModel(db);
    const adapter = new RecordingAdapter();
    const id = 'died-1:escalated:supervisor';
    const claimedAt = new Date(Date.now() - 1000);
    await new NotificationOutbox(notifications).enqueue(
      'died-1', [{ key: 'escalated', event: 'escalated', recipient: 'supervisor', data: { complaintId: 'died-1', from: 1, to: 2, reason: 'r' } }],
      { locale: 'en', consumerChannel: 'email' },
    );
    // What a dispatcher that died mid-delivery leaves: its claim of attempt 1, its lease run out.
    await db.collection('notification_claims').insertOne({ _id: `${id}#1`, at: claimedAt } as never);
    const dispatcher = new NotificationDispatcher({
      notifications, readModel: new ComplaintReadModel(complaintModel(db)), adapter, logger: createLogger('error'), timezone: 'Asia/Shanghai', pollMs: 20, leaseMs: 500,
    });
    dispatchers.push(dispatcher);
    dispatcher.start();
    const row = await eventually(async () => {
      const r = await notifications.findById(id).lean();
      return r?.status === 'sent' ? r : null;
    }, 20_000);
    expect(row.attempts).toBe(2);
    expect(adapter.delivered.filter((m) => m.complaintId === 'died-1').map((m) => m.id)).toEqual([id]);
    expect(await db.collection('notification_claims').countDocuments({ _id: { $in: [`${id}#1`, `${id}#2`] } } as never)).toBe(2);
  });

  describe('what its own process queued', () => {
    const escalation = (id: string) => [
      { key: 'escalated', event: 'escalated', recipient: 'supervisor' as const, data: { complaintId: id, from: 1, to: 2, reason: 'r' } },
      { key: 'escalated', event: 'escalated', recipient: 'assignee' as const, data: { complaintId: id, from: 1, to: 2, reason: 'r', assignee: 'a1' } },
    ];
    const dispatcherWith = (
      adapter: DeliveryAdapter,
      options: { pollMs: number; leaseMs?: number; maxAttempts?: number; busy?: () => boolean; yieldMaxMs?: number },
    ) => {
      const dispatcher = new NotificationDispatcher({
        notifications: notificationModel(db), readModel: new ComplaintReadModel(complaintModel(db)), adapter, logger: createLogger('error'),
        timezone: 'Asia/Shanghai', ...options,
      });
      dispatchers.push(dispatcher);
      return dispatcher;
    };

    it('delivers it at once without a poll or a claim, each message once, and answers only what a retry newly queued', async () => {
      const notifications = notificationModel(db);
      const outbox = new NotificationOutbox(notifications);
      const adapter = new RecordingAdapter();
      // Its loops never poll within the test: only the first attempts can deliver.
      const dispatcher = dispatcherWith(adapter, { pollMs: 600_000 });
      dispatcher.start();
      const options = { firstAttemptLeaseMs: dispatcher.firstAttemptLeaseMs };
      const queued = await outbox.enqueue('own-1', escalation('own-1'), { locale: 'en', consumerChannel: 'email' }, options);
      expect(queued.map((r) => r.recipient)).toEqual(['supervisor', 'assignee']);
      dispatcher.deliverQueued(queued);
      // The same change again (a retried activity): nothing new to deliver.
      expect(await outbox.enqueue('own-1', escalation('own-1'), { locale: 'en', consumerChannel: 'email' }, options)).toEqual([]);
      const rows = await eventually(async () => {
        const all = await outbox.list('own-1');
        return all.every((r) => r.status === 'sent') ? all : null;
      }, 20_000);
      expect(rows.map((r) => r.attempts)).toEqual([1, 1]);
      expect(adapter.delivered.filter((m) => m.complaintId === 'own-1').map((m) => m.to)).toEqual(['role:supervisor', 'agent:a1']);
      const ids = rows.map((r) => r._id);
      expect(rows.map((r) => r.due)).toEqual([undefined, undefined]);
      expect(await db.collection('notification_claims').countDocuments({ _id: { $in: ids.map((id) => `${id}#1`) } } as never)).toBe(0);
    });

    it('records the first attempts of concurrent changes together: every message sent once, fewer writes than changes', async () => {
      const notifications = notificationModel(db);
      const outbox = new NotificationOutbox(notifications);
      const adapter = new RecordingAdapter();
      const dispatcher = dispatcherWith(adapter, { pollMs: 600_000 });
      dispatcher.start();
      const writes = vi.spyOn(notifications, 'bulkWrite');
      const cases = Array.from({ length: 30 }, (_, i) => `burst-${i}`);
      const options = { firstAttemptLeaseMs: dispatcher.firstAttemptLeaseMs };
      await Promise.all(cases.map(async (id) => {
        dispatcher.deliverQueued(await outbox.enqueue(id, escalation(id), { locale: 'en', consumerChannel: 'email' }, options));
      }));
      await eventually(async () => ((await notifications.countDocuments({ complaintId: { $in: cases }, status: 'sent' })) === 60 ? true : null), 20_000);
      expect(adapter.delivered.filter((m) => cases.includes(m.complaintId))).toHaveLength(60);
      expect(await notifications.countDocuments({ complaintId: { $in: cases }, due: { $exists: true } })).toBe(0);
      expect(writes.mock.calls.length).toBeGreaterThan(0);
      expect(writes.mock.calls.length).toBeLessThan(cases.length);
      writes.mockRestore();
    });

    it('holds its first attempts while the process has workflow tasks in hand: sent once it has none, or after the bound', async () => {
      const outbox = new NotificationOutbox(notificationModel(db));
      const adapter = new RecordingAdapter();
      const sentTo = (id: string) => adapter.delivered.filter((m) => m.complaintId === id).length;
      let busy = true;
      const dispatcher = dispatcherWith(adapter, { pollMs: 600_000, busy: () => busy, yieldMaxMs: 60_000 });
      dispatcher.start();
      const options = { firstAttemptLeaseMs: dispatcher.firstAttemptLeaseMs };
      dispatcher.deliverQueued(await outbox.enqueue('held-1', escalation('held-1'), { locale: 'en', consumerChannel: 'email' }, options));
      await new Promise((r) => setTimeout(r, 500));
      expect(sentTo('held-1')).toBe(0);
      busy = false;
      await eventually(async () => (sentTo('held-1') === 2 ? true : null), 5_000);

      // Busy for ever: the bound lets it through.
      const bounded = dispatcherWith(adapter, { pollMs: 600_000, busy: () => true, yieldMaxMs: 400 });
      bounded.start();
      const queuedAt = Date.now();
      bounded.deliverQueued(await outbox.enqueue('held-2', escalation('held-2'), { locale: 'en', consumerChannel: 'email' }, options));
      await eventually(async () => (sentTo('held-2') === 2 ? true : null), 5_000);
      expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(400);
      const rows = await outbox.list('held-2');
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([['sent', 1], ['sent', 1]]);

      // Never held past half its lease, whatever the bound says: the lease is what keeps it its own.
      const shortLease = dispatcherWith(adapter, { pollMs: 600_000, leaseMs: 600, busy: () => true, yieldMaxMs: 60_000 });
      shortLease.start();
      const leased = { firstAttemptLeaseMs: shortLease.firstAttemptLeaseMs };
      shortLease.deliverQueued(await outbox.enqueue('held-3', escalation('held-3'), { locale: 'en', consumerChannel: 'email' }, leased));
      await eventually(async () => (sentTo('held-3') === 2 ? true : null), 5_000);
    });

    it('leaves a first attempt alone until its lease is over, then a polling dispatcher delivers it (its process died)', async () => {
      const notifications = notificationModel(db);
      const adapter = new RecordingAdapter();
      await new NotificationOutbox(notifications).enqueue('died-2', escalation('died-2').slice(0, 1), { locale: 'en', consumerChannel: 'email' }, { firstAttemptLeaseMs: 1500 });
      const queuedAt = Date.now();
      dispatcherWith(adapter, { pollMs: 20 }).start();
      const row = await eventually(async () => {
        const r = await notifications.findById('died-2:escalated:supervisor').lean();
        return r?.status === 'sent' ? r : null;
      }, 20_000);
      expect(row.sentAt!.getTime() - queuedAt).toBeGreaterThanOrEqual(1400);
      expect(row.attempts).toBe(1);
      expect(adapter.delivered.filter((m) => m.complaintId === 'died-2')).toHaveLength(1);
    });

    it('retries a failed first attempt by polling, as the second attempt', async () => {
      const notifications = notificationModel(db);
      const outbox = new NotificationOutbox(notifications);
      const adapter = new RecordingAdapter();
      let failures = 1;
      const flaky: DeliveryAdapter = {
        name: 'flaky',
        deliver: async (m) => {
          if (failures-- > 0) throw new Error('gateway down');
          await adapter.deliver(m);
        },
      };
      const dispatcher = dispatcherWith(flaky, { pollMs: 20 });
      dispatcher.start();
      const queued = await outbox.enqueue('flaky-1', escalation('flaky-1').slice(0, 1), { locale: 'en', consumerChannel: 'email' }, { firstAttemptLeaseMs: dispatcher.firstAttemptLeaseMs });
      dispatcher.deliverQueued(queued);
      const row = await eventually(async () => {
        const r = await notifications.findById('flaky-1:escalated:supervisor').lean();
        return r?.status === 'sent' ? r : null;
      }, 20_000);
      expect(row.attempts).toBe(2);
      expect(row.due).toBeUndefined();
      expect(adapter.delivered.filter((m) => m.complaintId === 'flaky-1')).toHaveLength(1);
    });

    it('fails a message for good after its last attempt: out of the backlog, never tried again', async () => {
      const notifications = notificationModel(db);
      const outbox = new NotificationOutbox(notifications);
      let tries = 0;
      const down: DeliveryAdapter = {
        name: 'down',
        deliver: async () => {
          tries++;
          throw new Error('gateway down');
        },
      };
      const dispatcher = dispatcherWith(down, { pollMs: 20, maxAttempts: 2 });
      dispatcher.start();
      const queued = await outbox.enqueue('down-1', escalation('down-1').slice(0, 1), { locale: 'en', consumerChannel: 'email' }, { firstAttemptLeaseMs: dispatcher.firstAttemptLeaseMs });
      dispatcher.deliverQueued(queued);
      const retrying = await eventually(async () => {
        const r = await notifications.findById('down-1:escalated:supervisor').lean();
        return r?.status === 'retry' ? r : null;
      }, 20_000);
      // The next attempt is due after the backoff, in the same write as the failure.
      expect(Date.parse(retrying.due!)).toBe(retrying.nextAttemptAt.getTime());
      const failed = await eventually(async () => {
        const r = await notifications.findById('down-1:escalated:supervisor').lean();
        return r?.status === 'failed' ? r : null;
      }, 20_000);
      expect(failed).toMatchObject({ attempts: 2, lastError: 'gateway down' });
      expect(failed.due).toBeUndefined();
      await new Promise((r) => setTimeout(r, 300));
      expect(tries).toBe(2);
    });
  });

  // Each idle once chained its wake-up onto the previous one's: after some thousands of idle
  // polls a kick overflowed the stack, failing every activity that queued a notice.
  it('keeps one wake-up per idle loop however often it idles and is kicked, and still delivers', async () => {
    const notifications = notificationModel(db);
    const adapter = new RecordingAdapter();
    const dispatcher = new NotificationDispatcher({
      notifications, readModel: new ComplaintReadModel(complaintModel(db)), adapter, logger: createLogger('error'), timezone: 'Asia/Shanghai', pollMs: 2, concurrency: 2,
    });
    dispatchers.push(dispatcher);
    dispatcher.start();
    for (let i = 0; i < 300; i++) {
      dispatcher.kick();
      await new Promise((r) => setTimeout(r, 3));
    }
    // A kick runs its wake-ups synchronously, each clearing its loop's poll timer: count them.
    // The chain cleared a timer for every idle since start (hundreds here).
    const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout');
    dispatcher.kick();
    const wakeUps = clearTimeoutSpy.mock.calls.length;
    clearTimeoutSpy.mockRestore();
    expect(wakeUps).toBeLessThanOrEqual(2);
    await new NotificationOutbox(notifications).enqueue(
      'idle-1', [{ key: 'escalated', event: 'escalated', recipient: 'supervisor', data: { complaintId: 'idle-1', from: 1, to: 2, reason: 'r' } }],
      { locale: 'en', consumerChannel: 'email' },
    );
    dispatcher.kick();
    await eventually(async () => (adapter.delivered.some((m) => m.complaintId === 'idle-1') ? true : null), 20_000);
  });
});
