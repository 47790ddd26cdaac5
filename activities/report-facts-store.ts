import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { ReportFacts } from '../domain/report-facts';
import { saveNewest } from './read-model';

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

  /** Stores the facts unless newer ones are there (same guard as the read model). */
  async save(facts: ReportFacts): Promise<void> {
    const { _id, ...rest } = facts;
    await saveNewest(this.model as unknown as Model<{ _id: string; revision: number }>, _id, facts.revision, rest);
  }
}
