import mongoose from 'mongoose';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandlerServer } from '../support/handler-server';
import {
  agent, consumer, department, eventually, newComplaintBody, startTestService, supervisor, type TestService,
} from '../support/service';

interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives. */
async function startSmtp(): Promise<{ url: string; mails: ReceivedMail[]; stop: () => Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, stop: () => new Promise((r) => server.close(() => r())) };
}

/** A header of a raw message, unfolded, its RFC 2047 encoded words (B and Q) decoded. */
const header = (raw: string, name: string): string => {
  const head = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
  const value = new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? '';
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?(.*?)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
};
const bodyOf = (raw: string) => Buffer.from(raw.split('\r\n\r\n').slice(1).join('').replace(/\r\n/g, ''), 'base64').toString('utf8');

describe('notifications', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const gateway = new HandlerServer('notify-secret-0123456789');
  let service: TestService;
  let db: mongoose.Connection;

  beforeAll(async () => {
    smtp = await startSmtp();
    const base = await gateway.start();
    // SMS and app messages go to the gateway, which fails twice before it recovers.
    gateway.on('/notify', (_r, nth) => (nth <= 2 ? { status: 503 } : { status: 200 }));
    service = await startTestService({
      NOTIFY_ADAPTER: 'smtp', SMTP_URL: smtp.url, NOTIFY_FROM: 'service@shop.example',
      NOTIFY_WEBHOOK_URL: `${base}/notify`, NOTIFY_WEBHOOK_HMAC_SECRET: 'notify-secret-0123456789', NOTIFY_POLL_MS: '100',
    });
    db = await mongoose.createConnection(service.mongoUri).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await service?.stop();
    await gateway.stop();
    await smtp.stop();
  });

  const runToClosure = async (body: Record<string, unknown>) => {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody(body), consumer('u5'))).body.id as string;
    await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    await service.api.post(`/api/v1/complaints/${id}/findings`, { department: 'quality', summary: 'x', responsibleParty: 'merchant' }, department('quality'));
    await service.api.post(`/api/v1/complaints/${id}/plan`, { remedy: 'apology', description: 'We apologise' }, agent);
    await service.api.post(`/api/v1/complaints/${id}/feedback`, { accepted: true }, consumer('u5'));
    await service.api.post(`/api/v1/complaints/${id}/fulfilment`, { done: true }, agent);
    await service.api.post(`/api/v1/complaints/${id}/satisfaction`, { score: 5 }, consumer('u5'));
    return id;
  };
  const allSent = (id: string, count: number) =>
    eventually(async () => {
      const items = (await service.api.get(`/api/v1/complaints/${id}/notifications`, agent)).body.items;
      return items.length === count && items.every((n: any) => n.status === 'sent') ? items : null;
    }, 20_000);

  it('e-mails the consumer once per event, in Chinese, the first reply stating progress, expected completion and method', async () => {
    const email = `wang.fang.${Date.now()}@example.com`;
    const id = await runToClosure({ category: 'quality', contact: { name: 'Wang Fang', email } });
    const items = await allSent(id, 6);
    expect(items.map((n: any) => `${n.event}:${n.channel}`)).toEqual([
      'received:email', 'acknowledged:email', 'plan_proposed:email', 'resolved:email', 'satisfaction_request:email', 'closed:email',
    ]);
    expect(items.every((n: any) => n.attempts === 1 && n.to === `w***@example.com`)).toBe(true);

    const mails = smtp.mails.filter((m) => m.to.includes(email));
    expect(mails).toHaveLength(6);
    const first = mails.find((m) => header(m.raw, 'Subject').startsWith('投诉已受理'))!;
    expect(header(first.raw, 'Subject')).toBe(`投诉已受理 ${id}`);
    const text = bodyOf(first.raw);
    expect(text).toMatch(/当前进度：已受理/);
    expect(text).toMatch(/预计完成时间：\d{4}年/);
    expect(text).toMatch(/处理方式：/);
    const messageIds = mails.map((m) => header(m.raw, 'Message-ID'));
    expect(new Set(messageIds).size).toBe(6);
    expect(messageIds).toContain(`<${id}.received.consumer@complaints>`);
  });

  it('writes English for an English-speaking consumer, and texts a phone through the gateway after its failures', async () => {
    const id = await runToClosure({ category: 'quality', locale: 'en', contact: { name: 'Sam Lee', phone: '+86 139 1234 5678' } });
    const items = await allSent(id, 6);
    expect(items.every((n: any) => n.channel === 'sms' && n.to === '861******5678')).toBe(true);
    const delivered = gateway.requestsTo('/notify').filter((r) => r.body.complaintId === id);
    // The gateway refused the first two attempts; every message reached it exactly once after that.
    const ok = new Map<string, number>();
    for (const r of delivered) ok.set(r.body.id, (ok.get(r.body.id) ?? 0) + 1);
    expect(delivered.every((r) => r.signatureValid && r.headers['idempotency-key'] === r.body.id)).toBe(true);
    expect(delivered.find((r) => r.body.event === 'received')!.body.text).toMatch(/Progress: received.*Method:.*Expected completion:/s);
    expect(items.reduce((sum: number, n: any) => sum + n.attempts, 0)).toBeLessThanOrEqual(6 + 2);
  });

  it('tells the supervisor of breaches and escalations, and never logs a phone number or e-mail address', async () => {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody({ category: 'quality' }), consumer('u6'))).body.id;
    await service.api.post(`/api/v1/complaints/${id}/escalate`, { reason: 'Repeat complaint' }, supervisor);
    const items = await eventually(async () => {
      const list = (await service.api.get(`/api/v1/complaints/${id}/notifications`, supervisor)).body.items;
      return list.some((n: any) => n.event === 'escalated' && n.status === 'sent') ? list : null;
    });
    expect(items.find((n: any) => n.event === 'escalated')).toMatchObject({ recipient: 'supervisor', channel: 'app', to: 'role:supervisor' });
    const logs = service.logs.join('\n');
    expect(logs).not.toMatch(/138 0013 8000|13800138000|139 1234 5678|li\.wei@example\.com|wang\.fang/);
    // A retry outboxed nothing twice: one row per (case, event, recipient).
    const rows = await db.collection('notifications').find({ complaintId: id }).toArray();
    expect(new Set(rows.map((r) => `${r.key}:${r.recipient}`)).size).toBe(rows.length);
  });

  it('lists notifications for staff only', async () => {
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody(), consumer('u7'))).body.id;
    expect((await service.api.get(`/api/v1/complaints/${id}/notifications`, consumer('u7'))).status).toBe(403);
    expect((await service.api.get('/api/v1/complaints/nope/notifications', agent)).status).toBe(404);
  });
});
