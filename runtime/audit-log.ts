import mongoose, { Schema, type Connection, type Model } from 'mongoose';

/** What operators did, to which case, why: the ops audit trail (MongoDB `audit_log`). */
export interface AuditEntry {
  at: Date;
  actor: string;
  action: string;
  target: string;
  reason: string;
  details: Record<string, unknown>;
}

const auditSchema = new Schema<AuditEntry>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, required: true, index: true },
    reason: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, collection: 'audit_log', minimize: false },
);

export function auditModel(connection: Connection = mongoose.connection): Model<AuditEntry> {
  return (connection.models.AuditEntry as Model<AuditEntry> | undefined) ?? connection.model<AuditEntry>('AuditEntry', auditSchema);
}

export class AuditLog {
  constructor(private readonly model: Model<AuditEntry>) {}

  async record(entry: Omit<AuditEntry, 'at' | 'details'> & { details?: Record<string, unknown> }): Promise<void> {
    await this.model.create({ at: new Date(), details: {}, ...entry });
  }

  /** Records the entry under `id` unless it is there already: a retried step records it once. */
  async recordOnce(id: string, entry: Omit<AuditEntry, 'details'> & { details?: Record<string, unknown> }): Promise<void> {
    await this.model.collection.updateOne({ _id: id } as never, { $setOnInsert: { details: {}, ...entry } } as never, { upsert: true });
  }

  list(target: string): Promise<AuditEntry[]> {
    return this.model.find({ target }, { _id: 0 }).sort({ at: 1 }).lean<AuditEntry[]>();
  }
}
