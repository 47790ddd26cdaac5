import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, ops, startTestService, type TestService } from '../support/service';

/**
 * The Temporal UI's codec endpoint: bodies past the API's 64 KB (a large history's payloads),
 * a rate limit of its own, and failures that say nothing of the codec's internals.
 */
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const plain = (data: string) => ({ metadata: { encoding: b64('json/plain') }, data: b64(data) });

describe('the codec endpoint', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ COMPONENTS: 'api', CODEC_RATE_LIMIT_PER_MINUTE: '4' });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('takes bodies of megabytes (a large history), up to its own limit', async () => {
    // 1.5 MB of payload data: 2 MB of JSON once base64-encoded.
    const big = plain(JSON.stringify({ findings: 'x'.repeat(1_500_000) }));
    const encoded = await service.api.post('/codec/encode', { payloads: [big] }, ops);
    expect(encoded.status, JSON.stringify(encoded.body).slice(0, 200)).toBe(200);
    const decoded = await service.api.post('/codec/decode', encoded.body, ops);
    expect(decoded.status).toBe(200);
    expect(decoded.body.payloads[0]).toEqual(big);

    const tooBig = await service.api.post('/codec/decode', { payloads: [plain('y'.repeat(4_500_000))] }, { role: 'ops', sub: 'o-big' });
    expect(tooBig.status).toBe(413);
    // The API's own routes keep their 64 KB.
    expect((await service.api.post('/api/v1/complaints', { description: 'z'.repeat(100_000) }, agent)).status).toBe(413);
  });

  it('refuses another role before reading its body', async () => {
    const res = await service.api.post('/codec/decode', { payloads: [plain('y'.repeat(1_000_000))] }, agent);
    expect(res.status).toBe(403);
  });

  it('answers a payload it cannot decode with a plain 400, no internal text', async () => {
    const unknownKey = { metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('retired-key') }, data: b64('garbage') };
    const res = await service.api.post('/codec/decode', { payloads: [unknownKey] }, { role: 'ops', sub: 'o-bad' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('A payload could not be decoded.');
    expect(JSON.stringify(res.body)).not.toMatch(/retired-key|PAYLOAD_KEYS|unknown key|authenticate|Unsupported state/i);
    expect(service.logs.join('')).toMatch(/codec decode failed/);
  });

  it('limits each token\'s codec requests a minute, apart from the API\'s limit', async () => {
    const limited = { role: 'ops' as const, sub: 'o-busy' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await service.api.post('/codec/encode', { payloads: [plain('{}')] }, limited)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // Another token has its own count, and the API is not limited by the codec's.
    expect((await service.api.post('/codec/encode', { payloads: [plain('{}')] }, { role: 'ops', sub: 'o-other' })).status).toBe(200);
    expect((await service.api.get('/api/v1/complaints', limited)).status).toBe(200);
  });
});
