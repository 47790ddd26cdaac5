import { Schema, type Connection, type Model } from 'mongoose';
import type { ConsumerAddress, QueuedDelivery } from '..';
import type { Logger } from '../../runtime/logger';
import { dueAt, legacyQueueModel, type LegacyQueueEntry, type NotificationDocument } from '../outbox';
import type { ComplaintReadModel } from '../read-model';
import type { DeliveryAdapter, OutgoingMessage } from './adapters';
import { BusyGate } from './busy-gate';
import { maskAddress } from './mask';
import { SentRecords, type SentMessage } from './sent-records';
import { render } from './templates';

export interface DispatcherOptions {
  notifications: Model<NotificationDocument>;
  /** Where the consumer's address is read from at delivery (the workflow carries none). */
  readModel: ComplaintReadModel;
  adapter: DeliveryAdapter;
  logger: Logger;
  /** Times in messages are shown in this zone (the SLA policy's). */
  timezone: string;
  pollMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  leaseMs?: number;
  /**
   * Whether this process has more urgent work in hand (the worker's workflow tasks): first
   * attempts wait for it to pass, up to `yieldMaxMs` and half the lease (decision 032).
   */
  busy?: () => boolean;
  yieldMaxMs?: number;
}

/**
 * Delivers the outbox. What this process's activities queue it delivers at once: their
 * messages come leased to it (`deliverQueued`), the first attempt needs neither a poll nor a
 * claim, and the successes of concurrent batches are recorded together. Everything else — retries, and
 * messages whose process died before their first attempt was recorded — is polled: each loop
 * claims the due messages one at a time with a lease (so several workers and a crashed one
 * never lose or double-handle a message), renders each, hands it to the adapter, and records
 * the outcome with the attempt. Failures retry with exponential backoff up to `maxAttempts`.
 */
export class NotificationDispatcher implements QueuedDelivery {
  private running = false;
  /** The last move of an older worker's queue entries (decision 023), repeated once a lease. */
  private legacyMoved: { at: number; done: Promise<void> } | undefined;
  private loops: Promise<void>[] = [];
  /** How each idle loop is woken early; a loop leaves the set when it wakes, however it wakes. */
  private readonly sleepers = new Set<() => void>();
  /** First attempts under way (`deliverQueued`): stop() waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;

  private readonly claims: Model<{ _id: string; at: Date }>;
  private readonly legacyQueue: Model<LegacyQueueEntry>;
  private readonly sentRecords: SentRecords;
  private readonly gate: BusyGate;

  constructor(private readonly options: DispatcherOptions) {
    this.claims = claimModel(options.notifications.db);
    this.legacyQueue = legacyQueueModel(options.notifications.db);
    this.sentRecords = new SentRecords(options.notifications);
    this.pollMs = options.pollMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.leaseMs = options.leaseMs ?? 60_000;
    // Held no longer than half the lease: a polling dispatcher takes a first attempt whose lease ran out.
    this.gate = new BusyGate(options.busy ?? (() => false), Math.min(options.yieldMaxMs ?? 3_000, this.leaseMs / 2));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const lanes = this.options.concurrency ?? 2;
    this.loops = Array.from({ length: lanes }, (_, lane) => this.loop(lane, lanes));
  }

  /** New messages were written: look now rather than at the next poll. */
  kick(): void {
    for (const wake of this.sleepers) wake();
  }

  get firstAttemptLeaseMs(): number {
    return this.leaseMs;
  }

  /**
   * The first attempt of messages this process just queued, leased to it (`enqueue` with
   * `firstAttemptLeaseMs`): delivered in the background, the successes recorded with those of
   * concurrent batches (`SentRecords`).
   */
  deliverQueued(rows: NotificationDocument[], consumer?: ConsumerAddress): void {
    if (rows.length === 0) return;
    const run = this.firstAttempts(rows, consumer).catch((err: unknown) => {
      // The entries stay leased: a polling dispatcher delivers them when the lease runs out.
      this.options.logger.warn({ err }, 'notification dispatcher: first attempts not recorded');
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    this.gate.releaseAll();
    await Promise.all([...this.loops, ...this.inFlight]);
  }

  private async firstAttempts(rows: NotificationDocument[], consumer?: ConsumerAddress): Promise<void> {
    await this.gate.wait();
    const sent: SentMessage[] = [];
    for (const row of rows) {
      const doc = { ...row, attempts: 1 };
      const outcome = await this.attempt(doc, consumer);
      if (outcome.error === undefined) sent.push({ doc, to: outcome.to });
      else await this.recordFailure(doc, outcome.to, outcome.error);
    }
    await this.sentRecords.record(sent);
  }

  /**
   * Messages queued by a worker of a version before decision 023 have an entry in the old
   * queue collection: it moves onto the message (its due time and lease with it), then goes.
   * Repeated once a lease, while such a worker may still be running beside this one.
   */
  private moveLegacyQueue(): Promise<void> {
    const now = Date.now();
    if (this.legacyMoved && now - this.legacyMoved.at < this.leaseMs) return this.legacyMoved.done;
    const done = (async () => {
      const entries = await this.legacyQueue.find({}).limit(1000).lean<LegacyQueueEntry[]>();
      for (const entry of entries) {
        const due = entry.due ?? new Date(entry.nextAttemptAt).toISOString();
        const moved = await this.options.notifications.updateOne({ _id: entry._id, status: { $nin: ['sent', 'failed'] } }, { $set: { due } });
        // No message yet: the older worker writes it after its entry; the next pass moves it.
        if (moved.matchedCount === 0 && !(await this.options.notifications.exists({ _id: entry._id }))) continue;
        await this.legacyQueue.deleteOne({ _id: entry._id });
      }
    })().catch((err: unknown) => this.options.logger.warn({ err }, 'notification queue: older entries not moved yet'));
    this.legacyMoved = { at: now, done };
    return done;
  }

  private async loop(lane: number, lanes: number): Promise<void> {
    while (this.running) {
      let delivered = 0;
      try {
        // One poll serves a batch: each loop takes its share of the due entries, in order.
        await this.moveLegacyQueue();
        const now = new Date();
        const due = (await this.due(now)).filter((_, i) => i % lanes === lane);
        for (const entry of due) {
          if (!this.running) break;
          const claimed = await this.claim(entry._id, now);
          if (claimed) {
            await this.deliver(claimed);
            delivered++;
          }
        }
      } catch (err) {
        this.options.logger.warn({ err }, 'notification dispatcher: outbox unavailable');
      }
      if (!delivered && this.running) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.pollMs);
      this.sleepers.add(wake);
    });
  }

  /** The ids of the oldest due messages. Hinted: on MongoDB as on the project's FerretDB build
   * the `due` index serves the range, the order and the limit (delivered messages have no `due`),
   * so a poll costs the backlog it reads, not the history. */
  private due(now: Date): Promise<Array<{ _id: string }>> {
    return this.options.notifications
      .find({ due: { $lte: now.toISOString() } }, { _id: 1 })
      .sort({ due: 1 })
      .hint({ due: 1 })
      .limit(20)
      .lean<Array<{ _id: string }>>();
  }

  /**
   * Claims the next attempt of a due message. The claim is the insert of `<id>#<attempt>` into
   * a collection whose `_id` is unique: of several dispatchers racing for the same attempt
   * exactly one insert succeeds. (A find-and-modify would do on MongoDB, but FerretDB runs it
   * as a read and a write, and two dispatchers could both win.) The winner leases the message;
   * the attempt is counted with its outcome, after the lease.
   */
  private async claim(id: string, now: Date): Promise<NotificationDocument | null> {
    // Read afresh, its count and its lease together: another dispatcher may have claimed this
    // attempt since the poll. It leases the message before the attempt is counted, so a count
    // that already includes its attempt comes with a lease seen here — without this look, the
    // next attempt would be claimed too and the message sent twice.
    const doc = await this.options.notifications.findById(id).lean<NotificationDocument>();
    if (!doc) return null;
    if (doc.status === 'sent' || doc.status === 'failed') {
      // Delivered by a worker of an older version, which left the due time behind.
      if (doc.due !== undefined) await this.options.notifications.updateOne({ _id: id }, { $unset: { due: 1 } });
      return null;
    }
    if (doc.due === undefined || Date.parse(doc.due) > now.getTime()) return null;
    const attempt = doc.attempts + 1;
    // `now` is the poll's time, which a batch outlives: the claim and its lease run from the claim's own.
    const claimedAt = new Date();
    try {
      await this.claims.create({ _id: `${doc._id}#${attempt}`, at: claimedAt });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // Another dispatcher has this attempt — or had it and died before recording it: once
      // its lease is over, count the attempt as made so the next poll claims the next one.
      const claim = await this.claims.findById(`${doc._id}#${attempt}`).lean<{ at: Date }>();
      if (claim && claimedAt.getTime() - new Date(claim.at).getTime() > this.leaseMs) {
        await this.options.notifications.updateOne({ _id: doc._id, attempts: doc.attempts }, { $set: { attempts: attempt } });
      }
      return null;
    }
    // The lease: if this dispatcher dies, the message is due again when it runs out.
    await this.options.notifications.updateOne({ _id: id }, { $set: dueAt(new Date(claimedAt.getTime() + this.leaseMs)) });
    return { ...doc, attempts: attempt };
  }

  /** A claimed attempt, its outcome recorded. */
  private async deliver(doc: NotificationDocument): Promise<void> {
    const outcome = await this.attempt(doc);
    if (outcome.error !== undefined) return this.recordFailure(doc, outcome.to, outcome.error);
    await this.sentRecords.record([{ doc, to: outcome.to }]);
  }

  /** Renders and hands one message to the adapter: the address it went to, and the error if it failed. */
  private async attempt(doc: NotificationDocument, consumer?: ConsumerAddress): Promise<{ to: string; error?: unknown }> {
    let to = '';
    try {
      to = await this.addressOf(doc, consumer);
      const { subject, text } = render(doc.event, doc.locale, doc.data, this.options.timezone);
      const message: OutgoingMessage = { id: doc._id, complaintId: doc.complaintId, event: doc.event, channel: doc.channel, to, subject, text };
      await this.options.adapter.deliver(message);
      return { to };
    } catch (error) {
      return { to, error };
    }
  }

  /** A failed attempt: retried after a backoff, or failed for good after `maxAttempts`. */
  private async recordFailure(doc: NotificationDocument, to: string, err: unknown): Promise<void> {
    const { notifications, logger } = this.options;
    // The error text may quote the address: mask it before it is stored or logged.
    const error = String((err as Error)?.message ?? err).split(to || '\u0000').join(maskAddress(doc.channel, to)).slice(0, 500);
    const final = doc.attempts >= this.maxAttempts;
    const delay = Math.min(600_000, 1000 * 2 ** Math.min(doc.attempts, 10));
    const nextAttemptAt = new Date(Date.now() + delay);
    const status = final ? 'failed' : 'retry';
    await notifications.updateOne(
      { _id: doc._id },
      final
        ? { $set: { status, attempts: doc.attempts, lastError: error, nextAttemptAt }, $unset: { due: 1 } }
        : { $set: { status, attempts: doc.attempts, lastError: error, nextAttemptAt, ...dueAt(nextAttemptAt) } },
    );
    logger.warn({ notification: doc._id, attempt: doc.attempts, final, error }, 'notification delivery failed');
  }

  private async addressOf(doc: NotificationDocument, known?: ConsumerAddress): Promise<string> {
    if (doc.recipient === 'consumer') {
      const c = known ?? (await this.options.readModel.summary(doc.complaintId));
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
