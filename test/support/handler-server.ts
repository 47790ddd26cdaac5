import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server standing in for the departments' and the payment service's systems.
 * Each path (`/quality`, `/logistics`, `/legal`, `/payments`) answers as its behaviour says;
 * every request is recorded with whether its HMAC signature was right — with the one secret
 * given, or with the secret of its path (`{ '/quality': …, '/payments': … }`: one per receiver).
 */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  signatureValid: boolean;
}

export type Reply = { status: number; body?: unknown; delayMs?: number; hang?: boolean };
export type Behaviour = (request: ReceivedRequest, nth: number) => Reply;

export class HandlerServer {
  readonly requests: ReceivedRequest[] = [];
  /** Payments actually made, by idempotency key: a repeated key pays nothing more. */
  readonly payments = new Map<string, { reference: string; amount: number }>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(private readonly secret: string | Record<string, string>) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  on(path: string, behaviour: Behaviour): this {
    this.behaviours.set(path, behaviour);
    return this;
  }

  /**
   * A payment service that pays once per idempotency key and answers with the same reference;
   * a call `refuse` answers for (an outage of the payment service) pays nothing.
   */
  payOnce(extra: (request: ReceivedRequest, nth: number) => Partial<Reply> = () => ({}), refuse: (request: ReceivedRequest) => Reply | undefined = () => undefined): this {
    return this.on('/payments', (request, nth) => {
      const refused = refuse(request);
      if (refused) return refused;
      const key = String(request.headers['idempotency-key']);
      if (!this.payments.has(key)) this.payments.set(key, { reference: `txn-${this.payments.size + 1}`, amount: request.body.plan?.amount ?? 0 });
      return { status: 200, body: { reference: this.payments.get(key)!.reference }, ...extra(request, nth) };
    });
  }

  requestsTo(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const timestamp = String(req.headers['x-complaints-timestamp'] ?? '');
    const secret = typeof this.secret === 'string' ? this.secret : (this.secret[req.url ?? ''] ?? '');
    const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
    const given = String(req.headers['x-complaints-signature'] ?? '');
    const request: ReceivedRequest = {
      path: req.url ?? '/',
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
      signatureValid: given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected)),
    };
    this.requests.push(request);
    const nth = this.requestsTo(request.path).length;
    const behaviour: Behaviour = this.behaviours.get(request.path) ?? (() => ({ status: 404, body: { detail: 'no such handler' } }));
    const reply = behaviour(request, nth);
    if (reply.hang) {
      this.hanging.add(res);
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }
}

export const findings = (summary: string, responsibleParty = 'merchant'): Reply => ({
  status: 200,
  body: { findings: { summary, responsibleParty } },
});
