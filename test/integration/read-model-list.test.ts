import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintDocument, complaintModel, ComplaintReadModel, summaryOf, type ComplaintDocument, type ComplaintFilter } from '../../activities/read-model';
import type { Complaint } from '../../domain/complaint-schema';
import { testMongoUri } from '../support/service';

/**
 * The list is served by hinted queries that the project's FerretDB build answers from its
 * indexes (scripts/ferretdb/index-pushdown.patch). Every page walk must give exactly what a
 * plain filter-and-sort of the same documents gives, ties on `createdAt` included.
 */
const minutesAfter = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000).toISOString();

describe('read model list on the indexed FerretDB build', () => {
  let db: Connection;
  let readModel: ComplaintReadModel;
  const docs: ComplaintDocument[] = [];
  const statuses = ['received', 'investigating', 'awaiting_feedback', 'closed'] as const;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri()).asPromise();
    const model = complaintModel(db);
    await model.init();
    readModel = new ComplaintReadModel(model);
    for (let i = 0; i < 300; i++) {
      // Groups of three share an instant, so the cursor's tie-break on the id is exercised.
      const createdAt = new Date(Date.UTC(2026, 10, 1) + Math.floor(i / 3) * 60_000).toISOString();
      docs.push(
        complaintDocument({
          id: `case-${String((i * 7919) % 1000).padStart(4, '0')}`, customerId: `u${i % 7}`, orderId: `o${i % 11}`,
          status: statuses[i % 4]!, category: i % 5 === 0 ? 'logistics' : 'quality', severity: i % 6 === 0 ? 'complex' : 'general',
          breaches: i % 3 === 0 ? [{ stage: 'acknowledge', deadline: createdAt, at: createdAt }] : [], escalationLevel: i % 4 === 1 ? 2 : 1,
          // Deadlines in a shuffled order, some sharing an instant (the cursor's tie-break again).
          deadlines: { acknowledge: minutesAfter(createdAt, 60 + ((i * 37) % 97) * 10), resolve: minutesAfter(createdAt, 5000 + ((i * 53) % 89) * 30) },
          departments: ['quality'], findings: [], requests: [],
          revision: 1, createdAt, updatedAt: createdAt, timeline: [{ at: createdAt, type: 'received', actor: 'consumer', data: {} }],
        } as unknown as Complaint),
      );
    }
    await model.collection.insertMany(docs as never[]);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  const soonestFirst = (filter: ComplaintFilter, atRiskAt?: string) =>
    docs
      .filter((d) => Object.entries(filter).every(([k, v]) => (d as unknown as Record<string, unknown>)[k] === v))
      .filter((d) => d.nextDeadline !== undefined)
      .filter((d) => !atRiskAt || (d.riskFrom !== undefined && d.riskFrom <= atRiskAt && d.nextDeadline! > atRiskAt))
      .sort((a, b) => a.nextDeadline!.localeCompare(b.nextDeadline!) || a._id.localeCompare(b._id))
      .map((d) => d._id);

  const expected = (filter: ComplaintFilter) =>
    docs
      .filter((d) => Object.entries(filter).every(([k, v]) => (d as unknown as Record<string, unknown>)[k] === v))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b._id.localeCompare(a._id))
      .map((d) => d._id);

  async function walk(filter: ComplaintFilter, limit: number, order: 'newest' | 'nextDeadline' = 'newest'): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await readModel.list(filter, limit, cursor, order);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  it.each<[string, ComplaintFilter, number]>([
    ['no filter', {}, 17],
    ['status', { status: 'investigating' }, 10],
    ['customer', { customerId: 'u3' }, 4],
    ['status and breached', { status: 'received', breached: true }, 5],
    ['category, severity and escalated', { category: 'quality', severity: 'general', escalated: true }, 8],
    ['escalated false', { escalated: false }, 100],
    ['nothing matches', { customerId: 'nobody' }, 5],
  ])('pages through %s newest first, each case once', async (_name, filter, limit) => {
    expect(await walk(filter, limit)).toEqual(expected(filter));
  });

  it.each<[string, ComplaintFilter, number]>([
    ['no filter', {}, 13],
    ['status', { status: 'received' }, 7],
    ['breached', { breached: true }, 9],
  ])('pages through %s soonest deadline first, only cases with a running clock, each once', async (_name, filter, limit) => {
    const ids = await walk(filter, limit, 'nextDeadline');
    expect(ids).toEqual(soonestFirst(filter));
    expect(ids.length).toBeGreaterThan(limit * 2);
    // Closed cases have no running clock: not in this list.
    expect(ids.some((id) => docs.find((d) => d._id === id)!.status === 'closed')).toBe(false);
  });

  it('lists the cases at risk at an instant: past a warning, nothing past due', async () => {
    const instant = new Date(Date.UTC(2026, 10, 1, 3)).toISOString();
    const ids = await walk({ atRiskAt: new Date(instant) }, 6, 'nextDeadline');
    expect(ids).toEqual(soonestFirst({}, instant));
    expect(ids.length).toBeGreaterThan(0);
  });

  it('gives each item the stored complaint without its timeline, as the text it was stored as', async () => {
    const [item] = (await readModel.list({ customerId: 'u3' }, 1)).items;
    const doc = docs.find((d) => d._id === item!.id)!;
    expect(item).toEqual({ id: doc._id, status: doc.status, snapshot: doc.snapshot, clockTimes: JSON.parse(doc.clocks!) });
    expect(summaryOf(item!)).toEqual({ id: doc._id, ...JSON.parse(doc.snapshot) });
    expect(summaryOf(item!)).not.toHaveProperty('timeline');
  });

  it('finds the open complaint of a customer for an order', async () => {
    const open = docs.filter((d) => d.customerId === 'u2' && d.orderId === 'o5' && d.status !== 'closed').map((d) => d._id);
    expect(open.length).toBeGreaterThan(0);
    expect(open).toContain(await readModel.openFor('u2', 'o5'));
    await db.collection('complaints').insertMany([
      { _id: 'closed-one', customerId: 'u9', orderId: 'o9', status: 'closed', createdAt: '2026-10-01T00:00:00.000Z' },
      { _id: 'withdrawn-one', customerId: 'u9', orderId: 'o9', status: 'withdrawn', createdAt: '2026-10-02T00:00:00.000Z' },
    ] as never[]);
    expect(await readModel.openFor('u9', 'o9')).toBeNull();
    await db.collection('complaints').deleteMany({ customerId: 'u9' });
    expect(await readModel.openFor('u2', 'no-such-order')).toBeNull();
  });

  it('finds, updates and deletes by _id through the _id index, not by scanning', async () => {
    // FerretDB 1.24 wrote _id lookups as a different expression than its _id index; the
    // project's build writes them as the index does. Its explain shows SQLite's plan.
    const raw = db.collection('complaints');
    const explained = (await raw.find({ _id: docs[0]!._id } as never).explain()) as { queryPlanner?: { Plan?: string[] } };
    expect(explained.queryPlanner?.Plan?.join(' ')).toMatch(/USING INDEX \S+__id_/);
  });

  it('answers a hinted query from the index: the patched build is the one running', async () => {
    // The build's documented limit: a hinted equality does not match an array by element, as
    // the index holds the array whole. An unpatched FerretDB (or MongoDB) would match it.
    const raw = db.collection('complaints');
    await raw.insertOne({ _id: 'array-status', status: ['investigating'], createdAt: '2026-12-01T00:00:00.000Z' } as never);
    const plain = await raw.find({ status: 'investigating', _id: 'array-status' } as never).toArray();
    const hinted = await raw.find({ status: 'investigating', _id: 'array-status' } as never).hint({ status: 1, createdAt: -1, _id: -1 }).toArray();
    expect(plain).toHaveLength(1);
    expect(hinted).toHaveLength(0);
    await raw.deleteOne({ _id: 'array-status' } as never);
  });
});
