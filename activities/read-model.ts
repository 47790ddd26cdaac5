import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { Complaint } from '../domain/complaint-schema';

/**
 * The read model: one document per complaint, the workflow's latest snapshot. Written only
 * by activities; lists and reports read it. `_id` is the complaint id.
 *
 * What lists filter and sort on is stored as fields (with indexes); the snapshot and its
 * timeline are stored as JSON text (decision 010): FerretDB decodes every field of a document
 * it returns against its type schema, which for a nested complaint cost ≈ 0.2 ms a document.
 */
export interface ComplaintDocument extends Pick<Complaint, 'customerId' | 'orderId' | 'status' | 'category' | 'severity' | 'channel' | 'escalationLevel' | 'revision' | 'createdAt' | 'updatedAt'> {
  _id: string;
  breached: boolean;
  escalated: boolean;
  /** The complaint without its id and timeline, as JSON. */
  snapshot: string;
  /** Its timeline, as JSON: lists leave it out. */
  timeline: string;
}

/** A document written before decision 010: the snapshot's fields at the top level. */
type NestedComplaintDocument = Omit<Complaint, 'id'> & { _id: string; breached: boolean; escalated: boolean; snapshot?: undefined };

/** The stored form of a complaint. */
export function complaintDocument(complaint: Complaint): ComplaintDocument {
  const { id, timeline, ...snapshot } = complaint;
  const { customerId, orderId, status, category, severity, channel, escalationLevel, revision, createdAt, updatedAt } = complaint;
  return {
    _id: id, customerId, orderId, status, category, severity, channel, escalationLevel, revision, createdAt, updatedAt,
    breached: complaint.breaches.length > 0, escalated: complaint.escalationLevel > 1,
    snapshot: JSON.stringify(snapshot), timeline: JSON.stringify(timeline),
  };
}

function toComplaint(doc: ComplaintDocument | NestedComplaintDocument): Complaint {
  if (typeof doc.snapshot === 'string') {
    const timeline = typeof doc.timeline === 'string' ? (JSON.parse(doc.timeline) as Complaint['timeline']) : [];
    return { id: doc._id, ...(JSON.parse(doc.snapshot) as Omit<Complaint, 'id' | 'timeline'>), timeline };
  }
  const { _id, breached: _b, escalated: _e, snapshot: _s, ...rest } = doc;
  return { id: _id, ...rest } as Complaint;
}

/** A list item: the complaint without its timeline. */
function toListItem(doc: ComplaintDocument | NestedComplaintDocument): Omit<Complaint, 'timeline'> {
  const { timeline: _t, ...item } = toComplaint(doc);
  return item;
}

export interface ComplaintFilter {
  status?: string;
  category?: string;
  severity?: string;
  breached?: boolean;
  escalated?: boolean;
  customerId?: string;
}

export class BadCursorError extends Error {}

const encodeCursor = (doc: { createdAt: string; _id: string }) =>
  Buffer.from(JSON.stringify([doc.createdAt, doc._id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // fall through
  }
  throw new BadCursorError('cursor is not one this service issued');
}

const complaintDocumentSchema = new Schema<ComplaintDocument>(
  {
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    orderId: { type: String, required: true },
    status: { type: String, required: true },
    category: String,
    severity: String,
    channel: String,
    escalationLevel: Number,
    breached: Boolean,
    escalated: Boolean,
    revision: { type: Number, required: true },
    createdAt: { type: String, required: true },
    updatedAt: String,
  },
  // `snapshot` and `timeline` (JSON text) are written as they are; older documents hold the
  // snapshot's fields instead (read as they are, rewritten on their next change).
  { strict: false, versionKey: false, timestamps: false, collection: 'complaints' },
);
// Newest first, and one index per list filter (each ending in the sort key). The most
// selective filter given picks the index a list query names.
const newestFirst = { createdAt: -1, _id: -1 } as const;
const filtersBySelectivity = ['customerId', 'status', 'severity', 'category', 'escalated', 'breached'] as const;
complaintDocumentSchema.index(newestFirst);
for (const field of filtersBySelectivity) complaintDocumentSchema.index({ [field]: 1, ...newestFirst });
const openOrderIndex = { customerId: 1, orderId: 1, status: 1 } as const;
complaintDocumentSchema.index(openOrderIndex);

function listIndexFor(query: Record<string, unknown>): Record<string, 1 | -1> {
  const field = filtersBySelectivity.find((f) => query[f] !== undefined);
  return field ? { [field]: 1, ...newestFirst } : { ...newestFirst };
}

export function complaintModel(connection: Connection = mongoose.connection): Model<ComplaintDocument> {
  return connection.models.Complaint ?? connection.model<ComplaintDocument>('Complaint', complaintDocumentSchema);
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/**
 * Writes `doc` under `id` unless the stored revision is the same or newer. The workflow saves
 * a case's snapshots one after another, so only a retry of a timed-out write can race this.
 * A first revision is inserted without a look first: it is new to the store but for a retry,
 * which the duplicate key sends down the compare path (one round trip fewer per intake).
 */
export async function saveNewest<T extends { _id: string; revision: number }>(
  model: Model<T>,
  id: string,
  revision: number,
  doc: object,
  /** `replace`: the stored document becomes `doc`; `set`: `doc`'s fields are set on it. */
  write: 'set' | 'replace' = 'set',
): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0 || revision > 1) {
      const stored = await model.findById(id, { revision: 1 }).lean<{ revision: number }>();
      if (stored && stored.revision >= revision) return;
      if (stored) {
        if (write === 'replace') await model.collection.replaceOne({ _id: id } as never, doc);
        else await model.updateOne({ _id: id } as never, { $set: doc });
        return;
      }
    }
    try {
      await model.collection.insertOne({ _id: id, ...doc } as never);
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // there already (a retry, or inserted meanwhile): compare
    }
  }
}

export class ComplaintReadModel {
  constructor(private readonly model: Model<ComplaintDocument>) {}

  /**
   * Stores a snapshot unless a newer revision is already there: idempotent, and safe when
   * retried writes arrive out of order. Read, then write by `_id` alone — FerretDB's SQLite
   * backend pushes down only a filter on `_id` and scans the collection for any other.
   */
  async save(complaint: Complaint): Promise<void> {
    const { _id, ...doc } = complaintDocument(complaint);
    await saveNewest(this.model as unknown as Model<{ _id: string; revision: number }>, _id, complaint.revision, doc, 'replace');
  }

  async get(id: string): Promise<Complaint | null> {
    const doc = await this.model.findById(id).lean<ComplaintDocument | NestedComplaintDocument>();
    return doc ? toComplaint(doc) : null;
  }

  /** The complaint without its timeline (what a list item holds). */
  async summary(id: string): Promise<Omit<Complaint, 'timeline'> | null> {
    const doc = await this.model.findById(id, { timeline: 0 }).lean<ComplaintDocument | NestedComplaintDocument>();
    return doc ? toListItem(doc) : null;
  }

  /**
   * Newest first, `limit` at a time; the cursor continues after the last item returned.
   * Each query names its index (`hint`): MongoDB uses it, and the project's FerretDB build
   * serves a hinted query's equality filters, string ranges, sort and limit from it. The
   * cursor's "after (createdAt, id)" is therefore asked as two such queries, not one `$or`.
   */
  async list(filter: ComplaintFilter, limit: number, cursor?: string): Promise<{ items: Omit<Complaint, 'timeline'>[]; nextCursor?: string }> {
    const query: Record<string, unknown> = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const hint = listIndexFor(query);
    const page = (extra: Record<string, unknown>) =>
      this.model
        .find({ ...query, ...extra }, { timeline: 0 })
        .sort({ createdAt: -1, _id: -1 })
        .hint(hint)
        .limit(limit + 1)
        .lean<Array<ComplaintDocument | NestedComplaintDocument>>();
    let docs: Array<ComplaintDocument | NestedComplaintDocument>;
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor);
      const [sameInstant, older] = await Promise.all([page({ createdAt, _id: { $lt: id } }), page({ createdAt: { $lt: createdAt } })]);
      docs = [...sameInstant, ...older];
    } else {
      docs = await page({});
    }
    const items = docs.slice(0, limit);
    return {
      items: items.map(toListItem),
      ...(docs.length > limit ? { nextCursor: encodeCursor(items.at(-1)!) } : {}),
    };
  }

  /** Adds an event to a stored case outside its workflow (ops: after a termination). */
  async appendEvent(id: string, event: Complaint['timeline'][number]): Promise<void> {
    const complaint = await this.get(id);
    if (!complaint) return;
    await this.save({ ...complaint, timeline: [...complaint.timeline, event], revision: complaint.revision + 1, updatedAt: event.at });
  }

  /** An open complaint of this customer for this order, if there is one. */
  async openFor(customerId: string, orderId: string): Promise<string | null> {
    const doc = await this.model
      .findOne({ customerId, orderId, status: { $nin: ['closed', 'withdrawn'] } }, { _id: 1 })
      .hint(openOrderIndex)
      .lean<{ _id: string }>();
    return doc?._id ?? null;
  }
}
