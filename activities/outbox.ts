import mongoose, { Schema, type Collection, type Connection, type Model } from 'mongoose';
import type { Notice } from '../domain/lifecycle';
import type { Channel } from './notifications/adapters';
import type { Locale } from '../domain/complaint-schema';
import { erasedMark } from '../domain/personal-data';

/** How the consumer of a case is reached: decided by the workflow from the case, no address in it. */
export interface Audience {
  locale: Locale;
  consumerChannel: Channel;
}

/**
 * The notification outbox: one document per (case, notice key, recipient). The id is made of
 * those three, so a retried activity finds its message already there and adds nothing.
 */
export interface NotificationDocument {
  _id: string;
  complaintId: string;
  key: string;
  event: string;
  recipient: string;
  data: Record<string, unknown>;
  channel: Channel;
  locale: Locale;
  /** pending → sent; retry after a failed attempt; failed for good. (`sending`: rows of older versions, leased then.) */
  status: 'pending' | 'sending' | 'retry' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  /** The recipient as staff may see it (masked). */
  to?: string;
  sentAt?: Date;
  createdAt: Date;
  /** Order within the batch it was queued in (several notices can share `createdAt`). */
  position: number;
  /**
   * When the next attempt is due, or a lease on it runs out (an ISO string: the hinted poll
   * reads its index); only messages not yet delivered or failed for good have it. The row is
   * its own queue entry (decision 023).
   */
  due?: string;
}

const notificationSchema = new Schema<NotificationDocument>(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true, index: true },
    key: { type: String, required: true },
    event: { type: String, required: true },
    recipient: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    channel: { type: String, required: true },
    locale: { type: String, required: true },
    status: { type: String, required: true, default: 'pending' },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: String,
    to: String,
    sentAt: Date,
    createdAt: { type: Date, required: true },
    position: { type: Number, required: true, default: 0 },
    due: String,
  },
  { versionKey: false, collection: 'notifications', minimize: false },
);
notificationSchema.index({ due: 1 });

export function notificationModel(connection: Connection = mongoose.connection): Model<NotificationDocument> {
  return (
    (connection.models.Notification as Model<NotificationDocument> | undefined) ??
    connection.model<NotificationDocument>('Notification', notificationSchema)
  );
}

export const notificationId = (complaintId: string, notice: Pick<Notice, 'key' | 'recipient'>) =>
  `${complaintId}:${notice.key}:${notice.recipient}`;

/** The fields of a message that say when its next attempt is due. */
export const dueAt = (at: Date): Pick<NotificationDocument, 'due'> => ({ due: at.toISOString() });

/**
 * The delivery queue of versions before decision 023: one small document per message not yet
 * delivered. Only read to move what an older worker left there onto the messages themselves.
 */
export interface LegacyQueueEntry {
  _id: string;
  nextAttemptAt: Date;
  due?: string;
}

const legacyQueueSchema = new Schema<LegacyQueueEntry>(
  { _id: { type: String, required: true }, nextAttemptAt: { type: Date, required: true }, due: String },
  { versionKey: false, collection: 'notification_queue', autoCreate: false, autoIndex: false },
);

export function legacyQueueModel(connection: Connection = mongoose.connection): Model<LegacyQueueEntry> {
  return (connection.models.NotificationQueue as Model<LegacyQueueEntry> | undefined) ?? connection.model<LegacyQueueEntry>('NotificationQueue', legacyQueueSchema);
}

/**
 * Inserts the rows not there yet, keeping those that are (a retry's), and answers which rows
 * this call inserted (their positions). Insert, not upsert: FerretDB runs an upsert as a read
 * and a write.
 */
async function insertMissing(collection: Collection, rows: object[]): Promise<Set<number>> {
  const inserted = new Set(rows.keys());
  try {
    await collection.insertMany(rows as never[], { ordered: false });
  } catch (err) {
    const { code, writeErrors } = err as { code?: number; writeErrors?: { code?: number; index?: number } | Array<{ code?: number; index?: number }> };
    const failed = writeErrors === undefined ? (code === 11000 ? [...inserted].map((index) => ({ code, index })) : undefined) : [writeErrors].flat();
    // Only duplicates are expected: anything else fails the write (the activity retries it).
    if (!failed || failed.some((e) => e.code !== 11000 || e.index === undefined)) throw err;
    for (const e of failed) inserted.delete(e.index!);
  }
  return inserted;
}

export interface EnqueueOptions {
  /**
   * The caller delivers the messages it queues itself (the worker's dispatcher, at once): their
   * first attempt is its own for this long. Only when it has not recorded an outcome by then
   * (its process died) does a polling dispatcher take them over.
   */
  firstAttemptLeaseMs?: number;
}

export class NotificationOutbox {
  constructor(private readonly model: Model<NotificationDocument>) {}

  /**
   * Queues the notices of a case, once per (case, key, recipient); answers the messages this
   * call queued (a retry's repeats are not among them: their first attempt is someone else's).
   */
  async enqueue(complaintId: string, notices: Notice[], audience: Audience, options: EnqueueOptions = {}): Promise<NotificationDocument[]> {
    if (notices.length === 0) return [];
    const createdAt = new Date();
    // One write: each message is its own queue entry, due when its first attempt's lease runs out.
    const due = dueAt(new Date(createdAt.getTime() + (options.firstAttemptLeaseMs ?? 0)));
    const rows: NotificationDocument[] = notices.map((n, position) => ({
      _id: notificationId(complaintId, n), complaintId, key: n.key, event: n.event, recipient: n.recipient, data: n.data,
      channel: n.recipient === 'consumer' ? audience.consumerChannel : 'app',
      locale: audience.locale, status: 'pending', attempts: 0, nextAttemptAt: createdAt, createdAt, position, ...due,
    }));
    const written = await insertMissing(this.model.collection, rows);
    return rows.filter((_, i) => written.has(i));
  }

  /**
   * Erasure (issue 24): each message's data and the address it went to are replaced by the
   * marker; one not yet delivered is failed for good (nobody is to be reached any more). Idempotent.
   */
  async erase(complaintId: string): Promise<number> {
    const undelivered = await this.model.find({ complaintId, status: { $nin: ['sent', 'failed'] } }, { _id: 1 }).hint({ complaintId: 1 }).lean<Array<{ _id: string }>>();
    const ids = undelivered.map((d) => d._id);
    // An older worker's queue entries of the case go too (decision 023).
    if (ids.length > 0) await legacyQueueModel(this.model.db).deleteMany({ _id: { $in: ids } });
    const erased = await this.model.updateMany({ complaintId }, { $set: { data: { erased: true }, to: erasedMark } });
    // A delivery error may quote the address.
    await this.model.updateMany({ complaintId, lastError: { $exists: true } }, { $set: { lastError: erasedMark } });
    if (ids.length > 0) await this.model.updateMany({ _id: { $in: ids } }, { $set: { status: 'failed', lastError: 'personal data erased' }, $unset: { due: 1 } });
    return erased.matchedCount;
  }

  /** Oldest first. Sorted here: the hinted index serves the filter, and a case has few messages. */
  async list(complaintId: string): Promise<NotificationDocument[]> {
    const rows = await this.model.find({ complaintId }).hint({ complaintId: 1 }).lean<NotificationDocument[]>();
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.position - b.position);
  }
}
