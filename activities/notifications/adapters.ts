import nodemailer from 'nodemailer';
import type { Logger } from '../../runtime/logger';
import { signBody } from '../handlers';
import { maskAddress } from './mask';

export type Channel = 'sms' | 'email' | 'app';

export interface OutgoingMessage {
  /** The outbox id: the same message always has the same id, so receivers can drop repeats. */
  id: string;
  complaintId: string;
  event: string;
  channel: Channel;
  to: string;
  subject: string;
  text: string;
}

/** Hands a message to a channel. Throws when it could not; the dispatcher retries. */
export interface DeliveryAdapter {
  readonly name: string;
  deliver(message: OutgoingMessage): Promise<void>;
}

/** Development default: the message goes to the log, its recipient masked. */
export class LogAdapter implements DeliveryAdapter {
  readonly name = 'log';
  constructor(private readonly logger: Logger) {}
  async deliver(m: OutgoingMessage): Promise<void> {
    this.logger.info(
      { notification: m.id, complaintId: m.complaintId, event: m.event, channel: m.channel, to: maskAddress(m.channel, m.to), subject: m.subject },
      'notification delivered to the dev log',
    );
  }
}

/**
 * POSTs every message to one gateway (SMS, push, e-mail relay), with an idempotency key,
 * signed as handler calls are but with the gateway's own secret (often a third party's).
 */
export class WebhookAdapter implements DeliveryAdapter {
  readonly name = 'webhook';
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {}
  async deliver(m: OutgoingMessage): Promise<void> {
    const body = JSON.stringify(m);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(this.url, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'idempotency-key': m.id,
        'x-complaints-timestamp': timestamp,
        'x-complaints-signature': signBody(this.secret, timestamp, body),
      },
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  }
}

/** E-mail through SMTP (nodemailer); the other channels through `others`. */
export class SmtpAdapter implements DeliveryAdapter {
  readonly name = 'smtp';
  private readonly transport: nodemailer.Transporter;
  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly others: DeliveryAdapter,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }
  async deliver(m: OutgoingMessage): Promise<void> {
    if (m.channel !== 'email') return this.others.deliver(m);
    await this.transport.sendMail({
      from: this.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      messageId: `<${m.id.replace(/[^A-Za-z0-9.-]/g, '.')}@complaints>`,
    });
  }
  close(): void {
    this.transport.close();
  }
}
