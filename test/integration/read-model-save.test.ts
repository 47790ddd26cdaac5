import { clockTimesOf } from '../../domain/case-clocks';
import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel, ComplaintReadModel, summaryOf, type ComplaintDocument } from '../../activities/read-model';
import { ReportFactsStore, reportFactsModel } from '../../activities/report-facts-store';
import { openCase } from '../../domain/lifecycle';
import type { Complaint } from '../../domain/complaint-schema';
import { reportFacts } from '../../domain/report-facts';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';
import { connectNotingCommands, type SentCommand } from '../support/command-log';
import { testMongoUri } from '../support/service';

/**
 * The read model keeps the newest snapshot of each case whatever order retried writes arrive
 * in. A first revision is inserted without a look first, so its retries meet a duplicate key.
 */
describe('read model save', () => {
  let db: Connection;
  let readModel: ComplaintReadModel;
  const stored = async (id: string) => (await complaintModel(db).findById(id).lean())!;
  /** The commands this connection sent, by name, while `work` ran. */
  let commandsOf: (work: () => Promise<unknown>) => Promise<SentCommand[]>;

  beforeAll(async () => {
    ({ db, commandsOf } = await connectNotingCommands(testMongoUri()));
    await complaintModel(db).init();
    readModel = new ComplaintReadModel(complaintModel(db));
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  const newCase = (): Complaint =>
    openCase({
      id: `save-${randomUUID()}`, intake: sampleIntake(), receivedAt: '2026-11-20T10:00:00.000Z', actor: 'consumer:u1',
      policy: loadSlaPolicy(undefined).forSeverity('general'),
    }).state.complaint;
  const revisionOf = (c: Complaint, revision: number, status: Complaint['status']): Complaint => ({ ...c, revision, status });

  it('stores the first revision, ignores its retries and older revisions, and takes newer ones', async () => {
    const first = newCase();
    expect(first.revision).toBe(1);
    await readModel.save(first);
    expect(await stored(first.id)).toMatchObject({ revision: 1, status: 'received' });

    await readModel.save(first); // the intake's record retried after a timeout
    await readModel.save(revisionOf(first, 3, 'investigating'));
    await readModel.save(revisionOf(first, 1, 'received')); // a late retry of the first write
    await readModel.save(revisionOf(first, 2, 'acknowledged')); // a late retry of an older change
    expect(await stored(first.id)).toMatchObject({ revision: 3, status: 'investigating' });
    expect(await complaintModel(db).countDocuments({ _id: first.id })).toBe(1);
  });

  it('lets concurrent first writes of one case end with one document', async () => {
    const first = newCase();
    await Promise.all([readModel.save(first), readModel.save(first), readModel.save(revisionOf(first, 2, 'acknowledged'))]);
    expect(await stored(first.id)).toMatchObject({ revision: 2, status: 'acknowledged' });
  });
  it('stores the snapshot as JSON text beside the fields lists filter on, and gives it back whole', async () => {
    const complaint = { ...newCase(), timeline: [{ at: '2026-11-20T10:00:00.000Z', type: 'received', actor: 'consumer:u1', data: { channel: 'web' } }] };
    await readModel.save(complaint);
    const doc = await stored(complaint.id);
    expect(doc).toMatchObject({ status: 'received', customerId: complaint.customerId, breached: false, escalated: false, revision: 1 });
    expect(typeof doc.snapshot).toBe('string');
    expect(doc).not.toHaveProperty('deadlines');
    expect(await readModel.get(complaint.id)).toEqual(complaint);
    const { timeline: _t, ...summary } = complaint;
    // A list item carries its clocks' times for the SLA badge (domain/case-clocks.ts).
    expect(await readModel.summary(complaint.id)).toEqual({ ...summary, clockTimes: clockTimesOf(complaint) });
  });

  it('reads a document stored with nested fields (before decision 010) and rewrites it on its next change', async () => {
    const { id, ...fields } = newCase();
    await complaintModel(db).collection.insertOne({ _id: id, ...fields, breached: false, escalated: false } as never);
    expect(await readModel.get(id)).toEqual({ id, ...fields });
    // The list reads its items' fields only (a projection); such a document is read again in full.
    const { timeline: _t, ...summary } = fields;
    const listed = (await readModel.list({ customerId: fields.customerId }, 5)).items.find((c) => c.id === id)!;
    expect(listed).toMatchObject({ id, status: fields.status, clockTimes: [] });
    expect(summaryOf(listed)).toEqual({ id, ...summary });
    await readModel.appendEvent(id, { at: '2026-11-21T10:00:00.000Z', type: 'ops_terminated', actor: 'ops:o1', data: { reason: 'test' } });
    const doc = await stored(id);
    expect(doc).not.toHaveProperty('deadlines');
    expect(await readModel.get(id)).toMatchObject({ id, revision: 2, updatedAt: '2026-11-21T10:00:00.000Z', deadlines: fields.deadlines, timeline: [...fields.timeline, { type: 'ops_terminated' }] });
  });

  /**
   * `model` as a writer sees it whose first database operation is followed by a pause (the
   * attempt that timed out: a GC pause, a slow network): `pause` runs before that operation's
   * answer is returned to it, so whatever the writer does next comes after `pause`.
   */
  function pausedAfterFirstOperation(model: Model<ComplaintDocument>, pause: () => Promise<unknown>): Model<ComplaintDocument> {
    let operations = 0;
    const after = async <T>(answer: T): Promise<T> => {
      if (operations++ === 0) await pause();
      return answer;
    };
    const collection = new Proxy(model.collection, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).then(after) : value;
      },
    });
    return new Proxy(model, {
      get(target, prop) {
        if (prop === 'collection') return collection;
        if (prop === 'findById' || prop === 'findOne') {
          return (...args: unknown[]) => {
            const query = (target[prop] as (...a: unknown[]) => { lean: () => Promise<unknown> })(...args);
            return { lean: () => query.lean().then(after) };
          };
        }
        if (prop === 'updateOne') return (...args: unknown[]) => (target.updateOne as (...a: unknown[]) => Promise<unknown>)(...args).then(after);
        return Reflect.get(target, prop) as unknown;
      },
    });
  }

  it('never lets a late attempt replace a newer snapshot, even when the newer one is written between its look and its write', async () => {
    const first = newCase();
    await readModel.save(first);
    // The late attempt (revision 3) looks first; while it is held up, revision 5 is written.
    // A write guarded by a read before it would then replace revision 5 with 3.
    const late = new ComplaintReadModel(
      pausedAfterFirstOperation(complaintModel(db), () => readModel.save(revisionOf(first, 5, 'planning'))),
    );
    await late.save(revisionOf(first, 3, 'investigating'));
    expect(await stored(first.id)).toMatchObject({ revision: 5, status: 'planning' });
  });

  it('writes a change as one conditional update: no read before it, the revision guard in its filter', async () => {
    const first = newCase();
    await readModel.save(first);
    const sent = await commandsOf(() => readModel.save(revisionOf(first, 2, 'acknowledged'), 'run-a'));
    expect(sent.map((c) => c.name)).toEqual(['update']);
    const [statement] = sent[0]!.command.updates as Array<{ q: Record<string, unknown>; u: Record<string, any> }>;
    expect(statement!.q).toEqual({ _id: first.id, supersededRuns: { $ne: 'run-a' }, $or: [{ revision: { $lt: 2 } }, { afterReset: true }] });
    expect(statement!.u.$set).toMatchObject({ revision: 2, status: 'acknowledged', run: 'run-a' });
    // A retry of the intake's record: its insert meets the document, the update refuses it.
    expect((await commandsOf(() => readModel.save(first))).map((c) => c.name)).toEqual(['insert', 'update']);
    expect(await stored(first.id)).toMatchObject({ revision: 2, status: 'acknowledged' });
  });

  it("after a reset takes the new run's snapshots although they count again from the reset point, and refuses the abandoned run's", async () => {
    const first = newCase();
    await readModel.save(first, 'run-old');
    await readModel.save(revisionOf(first, 6, 'planning'), 'run-old');
    await readModel.supersedeRun(first.id, 'run-old', { reopen: true }); // ops reset: run-old → run-new
    expect(await readModel.save(revisionOf(first, 3, 'investigating'), 'run-new')).toBe(true);
    expect(await stored(first.id)).toMatchObject({ revision: 3, status: 'investigating', run: 'run-new', supersededRuns: ['run-old'] });
    expect(await stored(first.id)).not.toHaveProperty('afterReset');
    // The abandoned run's in-flight write, newer by revision, arrives late: refused.
    expect(await readModel.save(revisionOf(first, 7, 'fulfilling'), 'run-old')).toBe(false);
    // The new run's own retries still count by revision; its continue-as-new successor's writes are taken.
    expect(await readModel.save(revisionOf(first, 2, 'acknowledged'), 'run-new')).toBe(false);
    expect(await readModel.save(revisionOf(first, 4, 'planning'), 'run-next')).toBe(true);
    expect(await stored(first.id)).toMatchObject({ revision: 4, status: 'planning', run: 'run-next' });
    expect(await readModel.get(first.id)).toMatchObject({ id: first.id, revision: 4, status: 'planning' });
    expect(await readModel.get(first.id)).not.toHaveProperty('supersededRuns');
  });

  it("does not reopen a snapshot the reset's new run already wrote: an older run's late write stays refused", async () => {
    const first = newCase();
    await readModel.save(revisionOf(first, 4, 'investigating'), 'run-old');
    await readModel.save(revisionOf(first, 5, 'planning'), 'run-new'); // written before ops marked the reset
    await readModel.supersedeRun(first.id, 'run-old', { reopen: true });
    expect(await readModel.save(revisionOf(first, 3, 'acknowledged'), 'run-before-old')).toBe(false);
    expect(await stored(first.id)).toMatchObject({ revision: 5, status: 'planning', run: 'run-new' });
  });

  it('records a termination: terminated, no longer open for its order, and the run\'s late write cannot open it again; a reset of that run can', async () => {
    const first = { ...newCase(), customerId: `cust-${randomUUID().slice(0, 6)}` };
    await readModel.save(revisionOf(first, 2, 'acknowledged'), 'run-t');
    expect(await readModel.openFor(first.customerId, first.orderId)).toBe(first.id);
    const event = { at: '2026-11-21T10:00:00.000Z', type: 'ops_terminated', actor: 'ops:o1', data: { reason: 'test' } };
    const terminated = await readModel.markTerminated(first.id, 'run-t', event);
    expect(terminated).toMatchObject({ status: 'terminated', revision: 3, updatedAt: event.at });
    expect(await readModel.save(revisionOf(first, 4, 'investigating'), 'run-t')).toBe(false); // its in-flight activity
    expect(await readModel.get(first.id)).toMatchObject({ status: 'terminated', revision: 3, timeline: [...first.timeline, event] });
    expect(await readModel.openFor(first.customerId, first.orderId)).toBeNull();
    // A reset of the terminated run: its new run's snapshots are taken again.
    await readModel.supersedeRun(first.id, 'run-t', { reopen: true });
    expect(await readModel.save(revisionOf(first, 3, 'investigating'), 'run-r')).toBe(true);
    expect(await readModel.openFor(first.customerId, first.orderId)).toBe(first.id);
  });

  it("guards the report facts alike, and counts a terminated case's unfinished stages as ended", async () => {
    const store = new ReportFactsStore(reportFactsModel(db));
    await reportFactsModel(db).init();
    const calendar = loadSlaPolicy(undefined).forSeverity('general').calendar;
    const first = newCase();
    const facts = (revision: number, status: Complaint['status']) => reportFacts(revisionOf(first, revision, status), calendar);
    await store.save(facts(5, 'planning'), 'run-old');
    await store.supersedeRun(first.id, 'run-old', { reopen: true });
    expect(await store.save(facts(3, 'investigating'), 'run-new')).toBe(true);
    expect(await store.save(facts(6, 'fulfilling'), 'run-old')).toBe(false);
    expect(await reportFactsModel(db).findById(first.id).lean()).toMatchObject({ revision: 3, status: 'investigating' });

    expect(await store.markTerminated(first.id, 'run-new', new Date().toISOString())).toBe(true);
    expect(await store.save(facts(4, 'planning'), 'run-new')).toBe(false);
    const terminated = (await reportFactsModel(db).findById(first.id).lean())!;
    expect(terminated).toMatchObject({ revision: 4, status: 'terminated', stages: { acknowledge: { outcome: 'ended' }, resolve: { outcome: 'ended' } } });
  });
});
