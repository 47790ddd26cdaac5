import { Schema, type Connection, type Model } from 'mongoose';
import type { Logger } from '../../runtime/logger';
import { dueAt, notificationQueueModel, type NotificationDocument, type QueueEntry } from '../outbox';
import type { ComplaintDocument } from '../read-model';
import type { DeliveryAdapter, OutgoingMessage } from './adapters';
import { maskAddress } from './mask';
import { render } from './templates';

export interface DispatcherOptions {
  notifications: Model<NotificationDocument>;
  complaints: Model<ComplaintDocument>;
  adapter: DeliveryAdapter;
  logger: Logger;
  /** Times in messages are shown in this zone (the SLA policy's). */
  timezone: string;
  pollMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  leaseMs?: number;
}

/**
 * Delivers the outbox: claims one due message at a time with a lease (so several workers and
 * a crashed one never lose or double-handle a message), renders it, hands it to the adapter,
 * and records the outcome. Failures retry with exponential backoff up to `maxAttempts`.
 */
export class NotificationDispatcher {
  private running = false;
  private backfilled: Promise<void> | undefined;
  private loops: Promise<void>[] = [];
  private wake: (() => void) | undefined;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;

  private readonly claims: Model<{ _id: string; at: Date }>;
  private readonly queue: Model<QueueEntry>;

  constructor(private readonly options: DispatcherOptions) {
    this.claims = claimModel(options.notifications.db);
    this.queue = notificationQueueModel(options.notifications.db);
    this.pollMs = options.pollMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency ?? 2 }, () => this.loop());
  }

  /** New messages were written: look now rather than at the next poll. */
  kick(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await Promise.all(this.loops);
  }

  /** Entries written before `due` existed get it once, so the hinted poll finds them. */
  private async backfillDue(): Promise<void> {
    const old = await this.queue.find({ due: { $exists: false } }).lean<QueueEntry[]>();
    for (const entry of old) await this.queue.updateOne({ _id: entry._id }, { $set: dueAt(new Date(entry.nextAttemptAt)) });
  }

  private async loop(): Promise<void> {
    this.backfilled ??= this.backfillDue().catch((err: unknown) => this.options.logger.warn({ err }, 'notification queue: backfill failed'));
    await this.backfilled;
    while (this.running) {
      let claimed: NotificationDocument | null = null;
      try {
        claimed = await this.claim();
        if (claimed) await this.deliver(claimed);
      } catch (err) {
        this.options.logger.warn({ err }, 'notification dispatcher: outbox unavailable');
      }
      if (!claimed && this.running) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      const previous = this.wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        previous?.();
        done();
      };
    });
  }

  /**
   * Claims one due message from the queue. The claim is the insert of `<id>#<attempt>` into a
   * collection whose `_id` is unique: of several dispatchers racing for the same attempt exactly
   * one insert succeeds. (A find-and-modify would do on MongoDB, but FerretDB runs it as a read
   * and a write, and two dispatchers could both win.)
   */
  private async claim(): Promise<NotificationDocument | null> {
    const now = new Date();
    // Hinted: on MongoDB as on the project's FerretDB build the `due` index serves the range,
    // the order and the limit, so a poll costs the 20 entries it reads, not the whole backlog.
    const due = await this.queue
      .find({ due: { $lte: now.toISOString() } })
      .sort({ due: 1 })
      .hint({ due: 1 })
      .limit(20)
      .lean<QueueEntry[]>();
    for (const entry of due) {
      const doc = await this.options.notifications.findById(entry._id).lean<NotificationDocument>();
      if (!doc) continue; // its outbox row is still being written
      if (doc.status === 'sent' || doc.status === 'failed') {
        await this.queue.deleteOne({ _id: entry._id });
        continue;
      }
      // Still due? Another dispatcher may have claimed this attempt since the queue was read:
      // it leases the entry before it counts the attempt, so a count read above that already
      // includes its claim comes with a lease seen here — without this look, the next attempt
      // would be claimed too and the message sent twice.
      const current = await this.queue.findById(entry._id).lean<QueueEntry>();
      if (!current || current.nextAttemptAt.getTime() > now.getTime()) continue;
      const attempt = doc.attempts + 1;
      try {
        await this.claims.create({ _id: `${doc._id}#${attempt}`, at: now });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // Another dispatcher has this attempt — or had it and died before recording it: once
        // its lease is over, count the attempt as made so the next poll claims the next one.
        const claim = await this.claims.findById(`${doc._id}#${attempt}`).lean<{ at: Date }>();
        if (claim && now.getTime() - new Date(claim.at).getTime() > this.leaseMs) {
          await this.options.notifications.updateOne({ _id: doc._id, attempts: doc.attempts }, { $set: { attempts: attempt } });
        }
        continue;
      }
      // The lease: if this dispatcher dies, the entry is due again when it runs out.
      await this.queue.updateOne({ _id: entry._id }, { $set: dueAt(new Date(Date.now() + this.leaseMs)) });
      await this.options.notifications.updateOne({ _id: doc._id }, { $set: { status: 'sending', attempts: attempt } });
      return { ...doc, status: 'sending', attempts: attempt };
    }
    return null;
  }

  private async deliver(doc: NotificationDocument): Promise<void> {
    const { notifications, adapter, logger } = this.options;
    let to = '';
    try {
      to = await this.addressOf(doc);
      const { subject, text } = render(doc.event, doc.locale, doc.data, this.options.timezone);
      const message: OutgoingMessage = { id: doc._id, complaintId: doc.complaintId, event: doc.event, channel: doc.channel, to, subject, text };
      await adapter.deliver(message);
      await notifications.updateOne(
        { _id: doc._id },
        { $set: { status: 'sent', sentAt: new Date(), to: maskAddress(doc.channel, to) }, $unset: { lastError: 1 } },
      );
      await this.queue.deleteOne({ _id: doc._id });
    } catch (err) {
      // The error text may quote the address: mask it before it is stored or logged.
      const error = String((err as Error)?.message ?? err).split(to || '\u0000').join(maskAddress(doc.channel, to)).slice(0, 500);
      const final = doc.attempts >= this.maxAttempts;
      const delay = Math.min(600_000, 1000 * 2 ** Math.min(doc.attempts, 10));
      const nextAttemptAt = new Date(Date.now() + delay);
      await notifications.updateOne({ _id: doc._id }, { $set: { status: final ? 'failed' : 'retry', lastError: error, nextAttemptAt } });
      if (final) await this.queue.deleteOne({ _id: doc._id });
      else await this.queue.updateOne({ _id: doc._id }, { $set: dueAt(nextAttemptAt) });
      logger.warn({ notification: doc._id, attempt: doc.attempts, final, error }, 'notification delivery failed');
    }
  }

  private async addressOf(doc: NotificationDocument): Promise<string> {
    if (doc.recipient === 'consumer') {
      const c = await this.options.complaints.findById(doc.complaintId, { contact: 1, customerId: 1 }).lean<ComplaintDocument>();
      if (!c) throw new Error('the case is not in the read model yet');
      const address = doc.channel === 'sms' ? c.contact?.phone : doc.channel === 'email' ? c.contact?.email : `customer:${c.customerId}`;
      if (!address) throw new Error(`the consumer has no ${doc.channel} address`);
      return address;
    }
    if (doc.recipient === 'assignee') {
      const assignee = typeof doc.data.assignee === 'string' ? doc.data.assignee : undefined;
      return assignee ? `agent:${assignee}` : 'role:agent';
    }
    return doc.recipient.includes(':') ? doc.recipient : `role:${doc.recipient}`;
  }
}

const claimSchema = new Schema<{ _id: string; at: Date }>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false, collection: 'notification_claims' },
);
const claimModel = (connection: Connection): Model<{ _id: string; at: Date }> =>
  (connection.models.NotificationClaim as Model<{ _id: string; at: Date }> | undefined) ??
  connection.model('NotificationClaim', claimSchema);
