import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { Notice } from '../domain/lifecycle';

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
  status: 'pending' | 'sent' | 'failed';
  createdAt: Date;
}

const notificationSchema = new Schema<NotificationDocument>(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true, index: true },
    key: { type: String, required: true },
    event: { type: String, required: true },
    recipient: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, required: true, default: 'pending' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'notifications', minimize: false },
);

export function notificationModel(connection: Connection = mongoose.connection): Model<NotificationDocument> {
  return (
    (connection.models.Notification as Model<NotificationDocument> | undefined) ??
    connection.model<NotificationDocument>('Notification', notificationSchema)
  );
}

export const notificationId = (complaintId: string, notice: Pick<Notice, 'key' | 'recipient'>) =>
  `${complaintId}:${notice.key}:${notice.recipient}`;

export class NotificationOutbox {
  constructor(private readonly model: Model<NotificationDocument>) {}

  async enqueue(complaintId: string, notices: Notice[]): Promise<void> {
    if (notices.length === 0) return;
    const createdAt = new Date();
    await this.model.bulkWrite(
      notices.map((n) => ({
        updateOne: {
          filter: { _id: notificationId(complaintId, n) },
          update: {
            $setOnInsert: {
              complaintId, key: n.key, event: n.event, recipient: n.recipient, data: n.data, status: 'pending', createdAt,
            },
          },
          upsert: true,
        },
      })),
      { ordered: true },
    );
  }

  list(complaintId: string): Promise<NotificationDocument[]> {
    return this.model.find({ complaintId }).sort({ createdAt: 1, _id: 1 }).lean<NotificationDocument[]>();
  }
}
