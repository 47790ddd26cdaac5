// How long a new case waits for its first workflow task: from the intake's request until the
// case is recorded (its snapshot and notices, written by that task, decision 009) and until the
// consumer's notice is sent. The answer does not wait for it, so the intake figure's rate does
// not show it; a stream of intakes defers it (docs/performance.md, the pollers' autoscaling).
import type { Connection } from 'mongoose';
import { notificationModel, type NotificationDocument } from '../activities/outbox';
import { percentile, round } from './stats';

export interface FirstRecord {
  /** Request sent → the case's notices queued by its record (p50, p99, max; ms). */
  recordedP50Ms: number;
  recordedP99Ms: number;
  recordedMaxMs: number;
  /** Request sent → the consumer's notice sent (p50, p99; ms). */
  consumerToldP50Ms: number;
  consumerToldP99Ms: number;
  /** Cases with a record, and with their consumer told: the percentiles are over these. */
  recorded: number;
  consumersTold: number;
  cases: number;
}

/** `requestedAt`: when each case's intake request was sent (epoch ms; the worker's clock is this machine's). */
export async function firstRecord(mongo: Connection, requestedAt: Map<string, number>): Promise<FirstRecord> {
  const rows = await notificationModel(mongo)
    .find({ complaintId: { $in: [...requestedAt.keys()] } }, { complaintId: 1, recipient: 1, createdAt: 1, sentAt: 1 })
    .lean();
  return firstRecordOf(rows, requestedAt);
}

type QueuedNotice = Pick<NotificationDocument, 'complaintId' | 'recipient' | 'createdAt' | 'sentAt'>;

/** The figure from the cases' queued notices: a case's record queues them all at once. */
export function firstRecordOf(notices: QueuedNotice[], requestedAt: Map<string, number>): FirstRecord {
  const recorded = new Map<string, number>();
  const told = new Map<string, number>();
  const keepEarliest = (by: Map<string, number>, id: string, ms: number) => by.set(id, Math.min(by.get(id) ?? Infinity, ms));
  for (const notice of notices) {
    const since = requestedAt.get(notice.complaintId);
    if (since === undefined) continue;
    keepEarliest(recorded, notice.complaintId, notice.createdAt.getTime() - since);
    // `sentAt` is written with the delivery's record, just after the send: the earliest consumer's.
    if (notice.recipient === 'consumer' && notice.sentAt) keepEarliest(told, notice.complaintId, notice.sentAt.getTime() - since);
  }
  const [recordedMs, toldMs] = [[...recorded.values()], [...told.values()]];
  return {
    recordedP50Ms: round(percentile(recordedMs, 0.5)), recordedP99Ms: round(percentile(recordedMs, 0.99)),
    recordedMaxMs: recordedMs.length > 0 ? round(Math.max(...recordedMs)) : NaN,
    consumerToldP50Ms: round(percentile(toldMs, 0.5)), consumerToldP99Ms: round(percentile(toldMs, 0.99)),
    recorded: recorded.size, consumersTold: told.size, cases: requestedAt.size,
  };
}

/** One level's figure in the benchmark's table; the counts only when some consumer was not told. */
export function firstRecordText(figure: FirstRecord): string {
  const counts = figure.consumersTold < figure.cases ? ` (${figure.recorded}, ${figure.consumersTold} of ${figure.cases})` : '';
  return `${figure.recordedP50Ms} / ${figure.recordedP99Ms}, ${figure.consumerToldP50Ms} / ${figure.consumerToldP99Ms}${counts}`;
}
