import type { Model } from 'mongoose';
import type { NotificationDocument } from '../outbox';
import { maskAddress } from './mask';

/**
 * Statements per write. FerretDB (1.24, SQLite) holds a database connection for each update
 * statement of a command until the command ends, from a pool of 100: a command of 100
 * statements waited for a 101st connection forever and every later query with it (seen in
 * the benchmark after a burst of deliveries).
 */
export const maxStatementsPerWrite = 50;

/** An attempt that went through: its outbox row becomes `sent` and is due no more. */
export interface SentMessage {
  doc: NotificationDocument;
  to: string;
}

/**
 * Records delivered messages (first attempts, and claimed ones) in groups: while one group's
 * write (mark sent, drop the due time) is under way, messages delivered meanwhile wait and go
 * together in the next. A burst of changes then costs one write per group, not one per change;
 * a lone message is written at once. Until its group is written a message stays leased, so a process
 * that dies in between leaves it to a polling dispatcher (at least once, as before).
 */
export class SentRecords {
  private waiting: Array<{ sent: SentMessage[]; done: () => void; failed: (err: unknown) => void }> = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly notifications: Model<NotificationDocument>) {}

  /** Resolves once these messages are recorded (with the group they went in). */
  record(sent: SentMessage[]): Promise<void> {
    if (sent.length === 0) return Promise.resolve();
    const recorded = new Promise<void>((done, failed) => this.waiting.push({ sent, done, failed }));
    this.writing ??= this.drain();
    return recorded;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      try {
        await this.write(group.flatMap((g) => g.sent));
        for (const g of group) g.done();
      } catch (err) {
        for (const g of group) g.failed(err);
      }
    }
    this.writing = undefined;
  }

  private async write(sent: SentMessage[]): Promise<void> {
    const sentAt = new Date();
    for (let from = 0; from < sent.length; from += maxStatementsPerWrite) {
      await this.notifications.bulkWrite(
        sent.slice(from, from + maxStatementsPerWrite).map(({ doc, to }) => ({
          updateOne: {
            filter: { _id: doc._id },
            update: { $set: { status: 'sent', attempts: doc.attempts, sentAt, to: maskAddress(doc.channel, to) }, $unset: { lastError: 1, due: 1 } },
          },
        })),
        { ordered: false },
      );
    }
  }
}
