import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { responsibleParties, type HandlerName } from '../domain/complaint-schema';
import type { HandlerAnswer, HandlerMessage } from '../domain/lifecycle';
import { erasedHandlerMessage } from '../domain/personal-data';

/**
 * Department handlers (quality inspection, logistics, legal) and the payment service behind
 * one interface, in one of two modes per handler:
 * - manual: a task is recorded in MongoDB; staff answer through the API later;
 * - http: the request is POSTed, HMAC-signed, with an idempotency key; 200 answers at once,
 *   202 means the answer comes through the API later; 4xx is final; 5xx and time-outs retry.
 */
export type HandlerEndpoint =
  | { mode: 'manual' }
  /** `hmacSecret` is this receiver's own: `X-Complaints-Signature: sha256=HMAC(secret, "<timestamp>.<body>")`. */
  | { mode: 'http'; url: string; hmacSecret: string };

export interface HandlerSettings {
  endpoints: Record<HandlerName, HandlerEndpoint>;
  timeoutMs: number;
}

export interface HandlerTaskDocument {
  _id: string;
  complaintId: string;
  handler: HandlerName;
  kind: string;
  status: 'open' | 'done';
  request: HandlerMessage;
  createdAt: Date;
}

const handlerTaskSchema = new Schema<HandlerTaskDocument>(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true, index: true },
    handler: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true },
    request: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'handler_tasks', minimize: false },
);
handlerTaskSchema.index({ handler: 1, status: 1, createdAt: 1 });

export function handlerTaskModel(connection: Connection = mongoose.connection): Model<HandlerTaskDocument> {
  return (
    (connection.models.HandlerTask as Model<HandlerTaskDocument> | undefined) ??
    connection.model<HandlerTaskDocument>('HandlerTask', handlerTaskSchema)
  );
}

/** What a handler's 200 may carry. */
const investigationAnswer = z.object({
  findings: z.object({ summary: z.string().min(1).max(5000), responsibleParty: z.enum(responsibleParties) }),
});
const remedyAnswer = z.object({ reference: z.string().max(200).optional() }).passthrough();

export const signBody = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export class HandlerGateway {
  constructor(
    private readonly settings: HandlerSettings,
    private readonly tasks: Model<HandlerTaskDocument>,
  ) {}

  modeOf(handler: HandlerName): HandlerEndpoint['mode'] {
    return this.settings.endpoints[handler].mode;
  }

  async call(message: HandlerMessage, signal?: AbortSignal): Promise<HandlerAnswer> {
    const endpoint = this.settings.endpoints[message.handler];
    if (endpoint.mode === 'manual') return this.handOver(message);
    return this.post(endpoint, message, signal);
  }

  /**
   * Records the request as a task for staff, once (keyed by the request id): it is accepted.
   * Through the driver: every field is given, so mongoose's casting only cost CPU (a third of the write).
   */
  async handOver(message: HandlerMessage): Promise<HandlerAnswer> {
    await this.tasks.collection.updateOne(
      { _id: message.requestId } as Record<string, unknown>,
      {
        $setOnInsert: {
          complaintId: message.complaintId, handler: message.handler, kind: message.kind,
          status: 'open', request: message, createdAt: new Date(),
        },
      },
      { upsert: true },
    );
    return { outcome: 'accepted' };
  }

  /** Which of these requests are tasks already (an earlier attempt handed them over). */
  async handedOver(requestIds: string[]): Promise<Set<string>> {
    const found = await this.tasks.find({ _id: { $in: requestIds } }, { _id: 1 }).lean<Array<{ _id: string }>>();
    return new Set(found.map((task) => task._id));
  }

  /**
   * Marks a case's manual tasks done once it no longer waits for them. Every record of the case
   * names all its settled requests, so the open tasks are looked up by the case (hinted: its
   * index serves it on FerretDB too, where a filter on `_id: { $in }` read the whole collection)
   * and only those still open are written, each by its id.
   */
  async closeTasks(complaintId: string, requestIds: string[]): Promise<void> {
    if (requestIds.length === 0) return;
    const open = await this.tasks.find({ complaintId, status: 'open' }, { _id: 1 }).hint({ complaintId: 1 }).lean<Array<{ _id: string }>>();
    const settled = new Set(requestIds);
    const closing = open.filter((task) => settled.has(task._id));
    await Promise.all(closing.map((task) => this.tasks.updateOne({ _id: task._id, status: 'open' }, { $set: { status: 'done' } })));
  }

  /** Erasure (issue 24): the case's tasks keep what they asked for, without the case's details. Idempotent. */
  async eraseTasks(complaintId: string): Promise<void> {
    const tasks = await this.tasks.find({ complaintId }).lean<HandlerTaskDocument[]>();
    for (const task of tasks) {
      await this.tasks.updateOne({ _id: task._id }, { $set: { request: erasedHandlerMessage(task.request), status: 'done' } });
    }
  }

  private async post(
    { url, hmacSecret }: Extract<HandlerEndpoint, { mode: 'http' }>,
    message: HandlerMessage,
    signal?: AbortSignal,
  ): Promise<HandlerAnswer> {
    const body = JSON.stringify(message);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.requestId,
          'x-complaints-timestamp': timestamp,
          'x-complaints-signature': signBody(hmacSecret, timestamp, body),
        },
      });
    } catch (err) {
      const reason = timeout.aborted ? `no answer within ${this.settings.timeoutMs} ms` : (err as Error).message;
      throw ApplicationFailure.retryable(`${message.handler} handler unreachable: ${reason}`, 'HandlerUnavailable');
    }
    const text = await res.text().catch(() => '');
    if (res.status === 202) return { outcome: 'accepted' };
    if (res.status >= 200 && res.status < 300) return this.answerOf(message, text);
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      // The handler refuses this request: retrying cannot help. The reason goes on the case.
      return { outcome: 'failed', reason: `${res.status} ${detailOf(text) || res.statusText}`.trim() };
    }
    throw ApplicationFailure.retryable(
      `${message.handler} handler answered ${res.status}${detailOf(text) ? `: ${detailOf(text)}` : ''}`,
      'HandlerUnavailable',
    );
  }

  private answerOf(message: HandlerMessage, text: string): HandlerAnswer {
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      return { outcome: 'failed', reason: `${message.handler} handler answered 200 with a body that is not JSON` };
    }
    if (message.kind === 'investigation') {
      const parsed = investigationAnswer.safeParse(json);
      if (!parsed.success) return { outcome: 'failed', reason: `${message.handler} handler answered 200 without valid findings` };
      return { outcome: 'done', findings: parsed.data.findings };
    }
    const parsed = remedyAnswer.safeParse(json);
    return { outcome: 'done', ...(parsed.success && parsed.data.reference ? { reference: parsed.data.reference } : {}) };
  }
}

const detailOf = (text: string): string => {
  try {
    const json = JSON.parse(text) as { detail?: unknown; message?: unknown; error?: unknown };
    const detail = json.detail ?? json.message ?? json.error;
    return typeof detail === 'string' ? detail.slice(0, 300) : '';
  } catch {
    return text.slice(0, 300);
  }
};

/**
 * Runs `work` while heartbeating, so a worker that dies mid-call is noticed within the
 * heartbeat timeout and the call is retried elsewhere (with the same idempotency key).
 */
export async function withHeartbeat<T>(work: (signal?: AbortSignal) => Promise<T>): Promise<T> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  const timer = setInterval(() => context!.heartbeat(), 1000);
  try {
    return await work(context.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
