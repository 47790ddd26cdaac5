import { Context } from '@temporalio/activity';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { worksOn } from '../domain/case-views';
import { clockTimesOf, nextDeadlineOf, type ClockTimes } from '../domain/case-clocks';
import { departments, endedStatuses, type Complaint, type Department, type Stage } from '../domain/complaint-schema';
import { withWholeTimeline } from '../domain/timeline-window';
import { awaitingFindingsFrom } from '../domain/lifecycle';
import { erasedComplaint } from '../domain/personal-data';

/**
 * The read model: one document per complaint, the workflow's latest snapshot. Written only
 * by activities; lists and reports read it. `_id` is the complaint id.
 *
 * What lists filter and sort on is stored as fields (with indexes); the snapshot and its
 * timeline are stored as JSON text (decision 010): FerretDB decodes every field of a document
 * it returns against its type schema, which for a nested complaint cost ≈ 0.2 ms a document.
 */
/** Per department: whether it works on the case, and whether it still owes findings (present only then). */
type DepartmentFlags = Partial<Record<`assigned_${Department}` | `awaiting_${Department}`, boolean>>;

export interface ComplaintDocument extends DepartmentFlags, Pick<Complaint, 'customerId' | 'orderId' | 'status' | 'category' | 'severity' | 'channel' | 'escalationLevel' | 'revision' | 'createdAt' | 'updatedAt'> {
  _id: string;
  breached: boolean;
  escalated: boolean;
  /** The complaint without its id and timeline, as JSON. */
  snapshot: string;
  /** Its timeline, as JSON: lists leave it out. */
  timeline: string;
  /** Its clocks' times (domain/case-clocks.ts), as JSON: a list item's SLA badge is computed from them. */
  clocks?: string;
  /** The due time of the open clock due first, its stage, the first warning time: absent when no clock runs. */
  nextDeadline?: string;
  nextDeadlineStage?: Stage;
  riskFrom?: string;
  /** Any department still owes findings; per department (scalars, so hinted queries match them, decision 006). */
  awaitingFindings?: boolean;
}

/** A document written before decision 010: the snapshot's fields at the top level. */
type NestedComplaintDocument = Omit<Complaint, 'id'> & { _id: string; breached: boolean; escalated: boolean; snapshot?: undefined; clocks?: undefined };

/** A stored case: as written since decision 010, or before it. */
type StoredComplaint = ComplaintDocument | NestedComplaintDocument;

/** What the `snapshot` text holds: the complaint without its id and timeline. */
type Snapshot = Omit<Complaint, 'id' | 'timeline'>;

/** The list fields a case has only while a clock runs or a department owes findings: removed when it no longer does. */
export const occasionalListFields = [
  'nextDeadline', 'nextDeadlineStage', 'riskFrom', ...departments.map((d) => `awaiting_${d}`),
] as const;

/** The stored form of a complaint. */
export function complaintDocument(complaint: Complaint): ComplaintDocument {
  const { id, timeline, ...snapshot } = complaint;
  const { customerId, orderId, status, category, severity, channel, escalationLevel, revision, createdAt, updatedAt } = complaint;
  const clocks = clockTimesOf(complaint);
  const next = nextDeadlineOf(clocks);
  const awaiting = awaitingFindingsFrom(complaint);
  return {
    _id: id, customerId, orderId, status, category, severity, channel, escalationLevel, revision, createdAt, updatedAt,
    breached: complaint.breaches.length > 0, escalated: complaint.escalationLevel > 1,
    snapshot: JSON.stringify(snapshot), timeline: JSON.stringify(timeline), clocks: JSON.stringify(clocks),
    ...(next ?? {}),
    awaitingFindings: awaiting.length > 0,
    ...Object.fromEntries(departments.map((d) => [`assigned_${d}`, worksOn(d, complaint)])),
    ...Object.fromEntries(awaiting.map((d) => [`awaiting_${d}`, true])),
  };
}


function toComplaint(doc: StoredComplaint): Complaint {
  if (typeof doc.snapshot === 'string') {
    const timeline = typeof doc.timeline === 'string' ? (JSON.parse(doc.timeline) as Complaint['timeline']) : [];
    return { id: doc._id, ...(JSON.parse(doc.snapshot) as Snapshot), timeline };
  }
  const { _id, breached: _b, escalated: _e, snapshot: _s, ...nested } = doc;
  const { run: _r, supersededRuns: _sr, afterReset: _a, ...rest } = nested as typeof nested & RunGuard;
  return { id: _id, ...rest } as Complaint;
}

/**
 * What a list item is read from, and its cursor's keys. A projection, so FerretDB encodes and
 * the driver decodes these fields only, not the list's filter fields beside them (FerretDB
 * still decodes every stored field: `npm run bench:list-page`; docs/performance.md).
 */
const listItemFields = { snapshot: 1, clocks: 1, status: 1, createdAt: 1, nextDeadline: 1 } as const;

/** A case's summary: the complaint without its timeline, with its clocks' times. */
export type CaseSummary = Omit<Complaint, 'timeline'> & { clockTimes: ClockTimes[] };

function toSummary(doc: StoredComplaint): CaseSummary {
  const { timeline: _t, ...item } = toComplaint(doc);
  return { ...item, clockTimes: clockTimesFrom(doc) };
}

// A document written before the clocks were stored has its deadlines only.
const clockTimesFrom = (doc: StoredComplaint): ClockTimes[] =>
  typeof doc.clocks === 'string' ? (JSON.parse(doc.clocks) as ClockTimes[]) : [];

/**
 * A list's item as stored: the snapshot still as the text it was written as (`JSON.stringify`,
 * trusted as such), so a caller who sees it unchanged is sent that text and nothing parses it
 * (decision 036); `summaryOf` reads it for a view that masks it. A document of before decision
 * 010 has no such text: its fields are serialised once here.
 */
export interface ListedCase extends Pick<Complaint, 'id' | 'status'> {
  /** The complaint without `id` and `timeline`: an object's JSON text. */
  snapshot: string;
  clockTimes: ClockTimes[];
}

export const summaryOf = (item: ListedCase): Omit<Complaint, 'timeline'> => ({ id: item.id, ...(JSON.parse(item.snapshot) as Snapshot) });

function toListedCase(doc: StoredComplaint): ListedCase {
  if (typeof doc.snapshot === 'string') return { id: doc._id, status: doc.status, snapshot: doc.snapshot, clockTimes: clockTimesFrom(doc) };
  const { id, timeline: _t, ...snapshot } = toComplaint(doc);
  return { id, status: snapshot.status, snapshot: JSON.stringify(snapshot), clockTimes: clockTimesFrom(doc) };
}

export interface ComplaintFilter {
  status?: string;
  category?: string;
  severity?: string;
  breached?: boolean;
  escalated?: boolean;
  customerId?: string;
  /** Cases the department works on. */
  department?: Department;
  /** Cases an investigation waits on: of `department` when given, of any department otherwise. */
  awaitingFindings?: boolean;
  /** Cases with an open clock past its warning time and none past due, at this instant. */
  atRiskAt?: Date;
}

/** Newest first (the default), or the open clock due soonest first (only cases with one). */
export type ListOrder = 'newest' | 'nextDeadline';

export class BadCursorError extends Error {}

const encodeCursor = (key: string, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
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
// The queue: soonest deadline first, alone or by status. Other filters are served from the
// first one's index (the hinted SQL filters them too, decision 006).
const soonestFirst = { nextDeadline: 1, _id: 1 } as const;
complaintDocumentSchema.index(soonestFirst);
complaintDocumentSchema.index({ status: 1, ...soonestFirst });

function listIndexFor(query: Record<string, unknown>, order: ListOrder): Record<string, 1 | -1> {
  if (order === 'nextDeadline') return query.status !== undefined ? { status: 1, ...soonestFirst } : { ...soonestFirst };
  const field = filtersBySelectivity.find((f) => query[f] !== undefined);
  return field ? { [field]: 1, ...newestFirst } : { ...newestFirst };
}

/** The stored fields a filter asks for. */
function queryFor(filter: ComplaintFilter): Record<string, unknown> {
  const { department, awaitingFindings, atRiskAt, ...plain } = filter;
  const query: Record<string, unknown> = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  if (department) query[`assigned_${department}`] = true;
  if (awaitingFindings !== undefined) {
    if (department && awaitingFindings) query[`awaiting_${department}`] = true;
    else query.awaitingFindings = awaitingFindings;
  }
  if (atRiskAt) {
    const now = atRiskAt.toISOString();
    query.riskFrom = { $lte: now };
    query.nextDeadline = { $gt: now };
  }
  return query;
}

export function complaintModel(connection: Connection = mongoose.connection): Model<ComplaintDocument> {
  return connection.models.Complaint ?? connection.model<ComplaintDocument>('Complaint', complaintDocumentSchema);
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/**
 * What guards a stored document's writes besides its `revision` (decision 011): the run of
 * the workflow that wrote it, the runs whose writes are refused (abandoned by a reset, or
 * terminated by ops), and, after a reset, that the next write of any other run is taken
 * whatever its revision (the new run counts again from the reset point).
 */
export interface RunGuard {
  run?: string;
  supersededRuns?: string[];
  afterReset?: boolean;
}

/** The workflow run whose activity is running this code, if any: the writer of a snapshot. */
export function currentRun(): string | undefined {
  try {
    return Context.current().info.workflowExecution?.runId;
  } catch {
    return undefined; // not in an activity (tests, scripts)
  }
}

/** What a write of `revision` by `run` may replace: an older revision, or a reset's abandoned state; never when `run` is superseded. */
export function writableBy(id: string, revision: number, run: string | undefined): Record<string, unknown> {
  return {
    _id: id,
    ...(run ? { supersededRuns: { $ne: run } } : {}),
    $or: [{ revision: { $lt: revision } }, { afterReset: true }],
  };
}

/**
 * Writes `doc` under `id` unless the stored revision is the same or newer, or the writer's run
 * is superseded — in one conditional update, so a late attempt can never replace a newer
 * snapshot, whatever runs meanwhile (atomic on MongoDB, and on the project's FerretDB build,
 * decision 011). The document's fields are set and `unset` ones removed, so what ops recorded
 * (`supersededRuns`) stays. A first revision is inserted without an update first (one round
 * trip per intake); a write that finds no document inserts it. A duplicate key (a retry, or a
 * concurrent first write) sends it back to the conditional update. Returns whether it wrote.
 */
export async function saveNewest(
  model: Model<never>,
  id: string,
  revision: number,
  doc: Record<string, unknown>,
  options: { run?: string; unset?: string[] } = {},
): Promise<boolean> {
  const { run, unset = [] } = options;
  const fields = { ...doc, revision, ...(run ? { run } : {}) };
  const removed = [...unset, 'afterReset', ...(run ? [] : ['run'])];
  const update = { $set: fields, $unset: Object.fromEntries(removed.map((k) => [k, ''])) };
  const conditional = async () => (await model.collection.updateOne(writableBy(id, revision, run) as never, update)).matchedCount > 0;
  if (revision > 1 && (await conditional())) return true;
  try {
    await model.collection.insertOne({ _id: id, ...fields } as never);
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return conditional(); // there already: compare (again: it may have been inserted meanwhile)
}

/**
 * ops: refuses every later write of `run` to the document (its guard above). With `reopen`
 * (a reset abandoned `run`), a document whose state that run (or an unknown one) wrote takes
 * the next write of any other run whatever its revision: the reset's new run counts again from
 * the reset point. In this order, a write of the abandoned run can no longer land after the
 * reopening, and a state another run wrote in between is not reopened.
 */
export async function supersedeRun(model: Model<never>, id: string, run: string, options: { reopen: boolean }): Promise<void> {
  await model.collection.updateOne({ _id: id } as never, { $addToSet: { supersededRuns: run } } as never);
  if (options.reopen) {
    await model.collection.updateOne(
      { _id: id, $or: [{ run }, { run: { $exists: false } }] } as never,
      { $set: { afterReset: true } } as never,
    );
  }
}

/** The snapshot's fields a document of before decision 010 held at the top level: removed when rewritten. */
const nestedFields = (complaint: Complaint, doc: object): string[] => Object.keys(complaint).filter((k) => k !== 'id' && !(k in doc));
/** What a write removes: those, and the list fields the case no longer has. */
const removedFields = (complaint: Complaint, doc: object): string[] => [
  ...nestedFields(complaint, doc), ...occasionalListFields.filter((k) => !(k in doc)),
];

export class ComplaintReadModel {
  constructor(private readonly model: Model<ComplaintDocument>) {}

  /** The database connection (ops reach the report facts through it). */
  get connection(): Connection {
    return this.model.db;
  }

  /**
   * Stores a snapshot unless a newer revision is already there or its run is superseded:
   * idempotent, and safe when retried writes arrive out of order (`saveNewest`). `run` is the
   * writing activity's workflow run. A document of before decision 010 loses its nested fields.
   */
  async save(complaint: Complaint, run: string | undefined = currentRun()): Promise<boolean> {
    const { _id, ...doc } = complaintDocument(complaint);
    return saveNewest(this.model as unknown as Model<never>, _id, complaint.revision, doc, { run, unset: removedFields(complaint, doc) });
  }

  /** ops: see `supersedeRun`. */
  async supersedeRun(id: string, run: string, options: { reopen: boolean }): Promise<void> {
    await supersedeRun(this.model as unknown as Model<never>, id, run, options);
  }

  /**
   * ops, after terminating the workflow's run `run` (superseded first, so its in-flight write
   * cannot land after this): the case as `base` (the workflow's last state, when ops could
   * read it) or as stored, with the event added and status `terminated`, one revision up. It
   * belongs to `run`'s line of states, so a later reset of that run reopens it. Null when the
   * case was never stored.
   */
  async markTerminated(id: string, run: string, event: Complaint['timeline'][number], base?: Complaint): Promise<Complaint | null> {
    await this.supersedeRun(id, run, { reopen: false });
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.get(id);
      if (!stored) return null;
      // The workflow's copy may carry only a window of a long timeline: the rest is stored.
      const from = base && base.revision >= stored.revision ? withWholeTimeline(stored.timeline, base) : stored;
      const terminated: Complaint = {
        ...from, status: 'terminated', timeline: [...from.timeline, event], revision: Math.max(from.revision, stored.revision) + 1, updatedAt: event.at,
      };
      const { _id, ...doc } = complaintDocument(terminated);
      const unset = Object.fromEntries([...removedFields(terminated, doc), 'afterReset'].map((k) => [k, '']));
      // Compare-and-set on the revision read: nothing written in between is lost.
      const written = await this.model.collection.updateOne(
        { _id: id, revision: stored.revision } as never,
        { $set: { ...doc, run }, $unset: unset } as never,
      );
      if (written.matchedCount > 0) return terminated;
    }
    throw new Error(`The read model's copy of ${id} kept changing; it was not marked terminated.`);
  }

  async get(id: string): Promise<Complaint | null> {
    const doc = await this.model.findById(id).lean<StoredComplaint>();
    return doc ? toComplaint(doc) : null;
  }

  /** The complaint without its timeline (what a list item holds). */
  async summary(id: string): Promise<CaseSummary | null> {
    const doc = await this.model.findById(id, { timeline: 0 }).lean<StoredComplaint>();
    return doc ? toSummary(doc) : null;
  }

  /**
   * Newest first (or soonest deadline first), `limit` at a time; the cursor continues after
   * the last item returned. Each query names its index (`hint`): MongoDB uses it, and the
   * project's FerretDB build serves a hinted query's equality filters, string ranges, sort and
   * limit from it. The cursor's "after (key, id)" is therefore asked as two such queries, not one `$or`.
   */
  async list(filter: ComplaintFilter, limit: number, cursor?: string, order: ListOrder = 'newest'): Promise<{ items: ListedCase[]; nextCursor?: string }> {
    const query = queryFor(filter);
    const hint = listIndexFor(query, order);
    const key = order === 'newest' ? 'createdAt' : 'nextDeadline';
    const direction = order === 'newest' ? -1 : 1;
    const beyond = direction === -1 ? '$lt' : '$gt';
    // Soonest first lists only cases with a running clock: a string range leaves out the others.
    const keyRange = (extra: Record<string, unknown>) =>
      order === 'nextDeadline' && !(key in extra) ? { ...(query[key] as object | undefined), $gte: '' } : undefined;
    // The driver's own find: the filter is built from validated values, and mongoose's query
    // machinery (casting, options) was ≈ 6 % of the API's CPU on a list request.
    const page = (extra: Record<string, unknown>) => {
      const range = keyRange(extra);
      return this.model.collection
        .find<StoredComplaint>({ ...query, ...extra, ...(range ? { [key]: range } : {}) } as never, {
          projection: listItemFields, sort: { [key]: direction, _id: direction }, hint, limit: limit + 1,
        })
        .toArray();
    };
    let docs: StoredComplaint[];
    if (cursor) {
      const [at, id] = decodeCursor(cursor);
      const after = { ...(query[key] as object | undefined), [beyond]: at };
      const [sameInstant, further] = await Promise.all([page({ [key]: at, _id: { [beyond]: id } }), page({ [key]: after })]);
      docs = [...sameInstant, ...further];
    } else {
      docs = await page({});
    }
    const items = await this.withNestedInFull(docs.slice(0, limit));
    const last = items.at(-1) as (ComplaintDocument & Record<string, string>) | undefined;
    return {
      items: items.map(toListedCase),
      ...(docs.length > limit && last ? { nextCursor: encodeCursor(last[key]!, last._id) } : {}),
    };
  }

  /** A page's documents of before decision 010 (no `snapshot`: the projection left them empty), read again in full. */
  private async withNestedInFull(docs: StoredComplaint[]) {
    const nested = docs.filter((d) => typeof d.snapshot !== 'string').map((d) => d._id);
    if (nested.length === 0) return docs;
    const reread = await this.model.find({ _id: { $in: nested } }, { timeline: 0 }).lean<StoredComplaint[]>();
    const full = new Map(reread.map((d) => [d._id, d]));
    // One deleted in between is left out, not answered with the projection's few fields.
    return docs.flatMap((d) => {
      const read = typeof d.snapshot === 'string' ? d : full.get(d._id);
      return read ? [read] : [];
    });
  }

  /** Adds an event to a stored case outside its workflow, one revision up. */
  async appendEvent(id: string, event: Complaint['timeline'][number]): Promise<void> {
    const complaint = await this.get(id);
    if (!complaint) return;
    await this.save({ ...complaint, timeline: [...complaint.timeline, event], revision: complaint.revision + 1, updatedAt: event.at });
  }

  /** Erasure under way or done (issue 24): no reopen then. Null when the case was never stored. */
  async erasureOf(id: string): Promise<{ requestedAt?: string; erasedAt?: string } | null> {
    const doc = await this.model.findById(id, { erasureRequestedAt: 1, erasedAt: 1 }).lean<{ erasureRequestedAt?: string; erasedAt?: string }>();
    return doc ? { ...(doc.erasureRequestedAt ? { requestedAt: doc.erasureRequestedAt } : {}), ...(doc.erasedAt ? { erasedAt: doc.erasedAt } : {}) } : null;
  }

  /** Marks the case as being erased: from now on it is not reopened. Keeps the first mark. */
  async markErasureRequested(id: string, at: string): Promise<void> {
    await this.model.collection.updateOne({ _id: id, erasureRequestedAt: { $exists: false } } as never, { $set: { erasureRequestedAt: at } } as never);
  }

  /**
   * Replaces the stored case by its erased form (domain/personal-data.ts), one revision up, so
   * no late write of its runs lands on it; compare-and-set on the revision read. Idempotent:
   * an erased case is answered as it is. Null when the case was never stored.
   */
  async erase(id: string, at: string): Promise<Complaint | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.get(id);
      if (!stored || stored.erasedAt) return stored;
      const erased = { ...erasedComplaint(stored, at), revision: stored.revision + 1 };
      const { _id, ...doc } = complaintDocument(erased);
      // `erasedAt` is a list field too (the retention sweep's filter): set, not removed.
      const unset = Object.fromEntries(removedFields(erased, doc).filter((k) => k !== 'erasedAt').map((k) => [k, '']));
      const written = await this.model.collection.updateOne(
        { _id: id, revision: stored.revision } as never,
        { $set: { ...doc, erasedAt: at }, ...(Object.keys(unset).length ? { $unset: unset } : {}) } as never,
      );
      if (written.matchedCount > 0) return erased;
    }
    throw new Error(`The read model's copy of ${id} kept changing; it was not erased.`);
  }

  /**
   * Ended cases of a severity, not erased, whose last change is at or before `before`, by id
   * after `after`: the retention sweep's candidates (each still checked against its exact due time).
   */
  async endedNotErased(severity: string, before: string, after: string | undefined, limit: number): Promise<Array<{ id: string; endedAt: string }>> {
    const docs = await this.model
      .find(
        { severity, status: { $in: endedStatuses }, erasedAt: { $exists: false }, updatedAt: { $lte: before }, ...(after ? { _id: { $gt: after } } : {}) },
        { _id: 1, updatedAt: 1 },
      )
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Array<{ _id: string; updatedAt: string }>>();
    return docs.map((d) => ({ id: d._id, endedAt: d.updatedAt }));
  }

  /** An open complaint of this customer for this order, if there is one (not closed, withdrawn or terminated). */
  async openFor(customerId: string, orderId: string): Promise<string | null> {
    const doc = await this.model
      .findOne({ customerId, orderId, status: { $nin: endedStatuses } }, { _id: 1 })
      .hint(openOrderIndex)
      .lean<{ _id: string }>();
    return doc?._id ?? null;
  }
}

