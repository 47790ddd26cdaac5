import { DateTime } from 'luxon';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { terminatedFacts, type ReportFacts } from '../domain/report-facts';
import { currentRun, saveNewest, supersedeRun, type RunGuard } from './read-model';

/** `report_facts`: one small document per case for the supervisors' reports. */
const stageFact = { outcome: String, hours: Number, workingHours: Number };
const reportFactsSchema = new Schema<ReportFacts>(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    month: { type: String, required: true },
    day: Number,
    category: String,
    severity: String,
    channel: String,
    departments: [String],
    status: String,
    escalationLevel: Number,
    escalated: Boolean,
    stages: {
      acknowledge: stageFact, investigate: stageFact, plan: stageFact, resolve: stageFact, revisit: stageFact,
    },
    satisfactionScore: Number,
    revisit: String,
    remedy: String,
    remedyCost: Number,
    reopens: Number,
    clocks: String,
    revision: { type: Number, required: true },
  },
  { versionKey: false, collection: 'report_facts', minimize: false, _id: false },
);
// Reports filter by period first, then by category or department.
reportFactsSchema.index({ createdAt: 1 });
reportFactsSchema.index({ month: 1 });
reportFactsSchema.index({ category: 1, createdAt: 1 });
reportFactsSchema.index({ departments: 1, createdAt: 1 });

export function reportFactsModel(connection: Connection = mongoose.connection): Model<ReportFacts> {
  return (connection.models.ReportFacts as Model<ReportFacts> | undefined) ?? connection.model<ReportFacts>('ReportFacts', reportFactsSchema);
}

export class ReportFactsStore {
  constructor(readonly model: Model<ReportFacts>) {}

  /**
   * The facts of every case received in [from, to), oldest first, a month at a time: each month
   * is one query hinted to the `month` index (decision 006: FerretDB reads only that month's
   * documents). Memory stays flat: each batch is taken whole and the next one asked for at
   * once, so the database reads it while the caller works through this one.
   */
  async *receivedBetween(from: Date, to: Date, zones: readonly string[] = [], batchSize = 1000): AsyncGenerator<ReportFacts> {
    if (!(to > from)) return;
    // Only the months that hold facts: a period of ten thousand years costs what the data does.
    const [first, last] = await Promise.all([1, -1].map((direction) =>
      this.model.findOne({}, { month: 1 }).sort({ month: direction as 1 | -1 }).hint({ month: 1 }).lean<{ month: string }>().exec()));
    if (!first || !last) return;
    for (const month of monthsCovering(from, to, { first: first.month, last: last.month }, zones)) {
      const cursor = this.model.collection.find<ReportFacts>(
        { month, createdAt: { $gte: from, $lt: to } } as never,
        { sort: { createdAt: 1, _id: 1 }, hint: { month: 1 }, batchSize },
      );
      let more: Promise<boolean> = cursor.hasNext();
      try {
        while (await more) {
          const batch = cursor.readBufferedDocuments();
          more = cursor.hasNext();
          // A failed read ahead is seen when it is awaited. One turn of the event loop sends
          // the request; the caller's work would otherwise hold it back.
          more.catch(() => undefined);
          await new Promise((resolve) => setImmediate(resolve));
          yield* batch;
        }
      } finally {
        // A caller that stops early: the read ahead lands first, so closing ends the server's cursor.
        await more.catch(() => undefined);
        await cursor.close();
      }
    }
  }

  /** Stores the facts unless newer ones are there or their run is superseded (the read model's guard, `saveNewest`). */
  async save(facts: ReportFacts, run: string | undefined = currentRun()): Promise<boolean> {
    const { _id, ...rest } = facts;
    return saveNewest(this.model as unknown as Model<never>, _id, facts.revision, rest, { run });
  }

  /** ops: see `supersedeRun` in read-model.ts. */
  async supersedeRun(id: string, run: string, options: { reopen: boolean }): Promise<void> {
    await supersedeRun(this.model as unknown as Model<never>, id, run, options);
  }

  /**
   * ops, after terminating the run `run` at `at`: the stored facts as a terminated case's
   * (`terminatedFacts`), one revision up; `run`'s later writes are refused. Compare-and-set on
   * the revision read. False when the case has no facts.
   */
  async markTerminated(id: string, run: string, at: string): Promise<boolean> {
    await this.supersedeRun(id, run, { reopen: false });
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.model.findById(id).lean<ReportFacts & RunGuard>();
      if (!stored) return false;
      const { _id, run: _r, supersededRuns: _s, afterReset: _a, ...facts } = terminatedFacts(stored, at) as ReportFacts & RunGuard;
      const written = await this.model.collection.updateOne(
        { _id: id, revision: stored.revision } as never,
        { $set: { ...facts, run }, $unset: { afterReset: '' } } as never,
      );
      if (written.matchedCount > 0) return true;
    }
    throw new Error(`The report facts of ${id} kept changing; they were not marked terminated.`);
  }
}

/**
 * The months (YYYY-MM) a period's cases are filed under, among the `stored` ones. A case's month
 * is in its policy's time zone: the period's months in each of `zones` (the zones of the kept
 * policy versions); without them, a day either side of the period in UTC (UTC−12 to UTC+14).
 */
export function monthsCovering(from: Date, to: Date, stored: { first: string; last: string }, zones: readonly string[] = []): string[] {
  const day = 86_400_000;
  const indexOf = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  const indexIn = (ms: number, zone: string) => {
    const local = DateTime.fromMillis(ms, { zone });
    return local.isValid ? local.year * 12 + local.month - 1 : NaN;
  };
  const spans = zones.length > 0
    ? zones.map((zone) => [indexIn(from.getTime(), zone), indexIn(to.getTime() - 1, zone)] as const)
    : [[indexIn(from.getTime() - day, 'UTC'), indexIn(to.getTime() + day, 'UTC')] as const];
  const first = indexOf(stored.first);
  const last = indexOf(stored.last);
  const months = new Set<number>();
  for (const [start, end] of spans) {
    if (Number.isNaN(start) || Number.isNaN(end)) continue;
    for (let i = Math.max(start, first); i <= Math.min(end, last); i++) months.add(i);
  }
  return [...months].sort((a, b) => a - b).map((i) => `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`);
}
