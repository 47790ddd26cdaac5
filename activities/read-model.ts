import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { Complaint } from '../domain/complaint-schema';

/**
 * The read model: one document per complaint, the workflow's latest snapshot. Written only
 * by activities; lists and reports read it. `_id` is the complaint id.
 */
export type ComplaintDocument = Omit<Complaint, 'id'> & { _id: string };

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
    revision: { type: Number, required: true },
    createdAt: { type: String, required: true },
    updatedAt: String,
  },
  // The rest of the snapshot (timeline, findings, ...) is stored as the workflow gives it.
  { strict: false, versionKey: false, timestamps: false, collection: 'complaints' },
);
complaintDocumentSchema.index({ createdAt: -1, _id: -1 });
complaintDocumentSchema.index({ customerId: 1, orderId: 1 });

export function complaintModel(connection: Connection = mongoose.connection): Model<ComplaintDocument> {
  return connection.models.Complaint ?? connection.model<ComplaintDocument>('Complaint', complaintDocumentSchema);
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export class ComplaintReadModel {
  constructor(private readonly model: Model<ComplaintDocument>) {}

  /**
   * Stores a snapshot unless a newer revision is already there. Idempotent, and safe when
   * retried writes arrive out of order.
   */
  async save(complaint: Complaint): Promise<void> {
    const { id, ...rest } = complaint;
    try {
      await this.model.updateOne(
        { _id: id, revision: { $lt: complaint.revision } },
        { $set: rest },
        { upsert: true },
      );
    } catch (err) {
      // The filter missed because a newer (or the same) revision is stored: nothing to do.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async get(id: string): Promise<Complaint | null> {
    const doc = await this.model.findById(id).lean<ComplaintDocument>();
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest } as Complaint;
  }
}
