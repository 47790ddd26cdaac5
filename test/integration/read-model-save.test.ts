import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { openCase } from '../../domain/lifecycle';
import type { Complaint } from '../../domain/complaint-schema';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { sampleIntake } from '../support/fixtures';
import { testMongoUri } from '../support/service';

/**
 * The read model keeps the newest snapshot of each case whatever order retried writes arrive
 * in. A first revision is inserted without a look first, so its retries meet a duplicate key.
 */
describe('read model save', () => {
  let db: Connection;
  let readModel: ComplaintReadModel;
  const stored = async (id: string) => (await complaintModel(db).findById(id).lean())!;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri()).asPromise();
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
    expect(await readModel.summary(complaint.id)).toEqual(summary);
  });

  it('reads a document stored with nested fields (before decision 010) and rewrites it on its next change', async () => {
    const { id, ...fields } = newCase();
    await complaintModel(db).collection.insertOne({ _id: id, ...fields, breached: false, escalated: false } as never);
    expect(await readModel.get(id)).toEqual({ id, ...fields });
    expect((await readModel.list({ customerId: fields.customerId }, 5)).items.map((c) => c.id)).toContain(id);
    await readModel.appendEvent(id, { at: '2026-11-21T10:00:00.000Z', type: 'ops_terminated', actor: 'ops:o1', data: { reason: 'test' } });
    const doc = await stored(id);
    expect(doc).not.toHaveProperty('deadlines');
    expect(await readModel.get(id)).toMatchObject({ id, revision: 2, updatedAt: '2026-11-21T10:00:00.000Z', deadlines: fields.deadlines, timeline: [...fields.timeline, { type: 'ops_terminated' }] });
  });
});
