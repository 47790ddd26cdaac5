import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../runtime/processes';
import {
  agent, consumer, department, eventually, installTestRuntime, newComplaintBody, ops, startTestService, supervisor, type TestService,
} from '../support/service';

/** Every error the contract lists, produced over HTTP, and the list, idempotency and docs. */
describe('REST contract', () => {
  let service: TestService;
  let limited: TestService;

  beforeAll(async () => {
    installTestRuntime(await freePort()); // the worker's own Temporal metrics, for /metrics
    [service, limited] = await Promise.all([startTestService(), startTestService({ RATE_LIMIT_PER_MINUTE: '3' })]);
  });
  afterAll(async () => {
    await service?.stop();
    await limited?.stop();
  });

  const open = async (owner: string, body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    service.api.post('/api/v1/complaints', newComplaintBody(body), consumer(owner), headers);

  describe('errors', () => {
    it('400 for an invalid body and an invalid query, naming each field', async () => {
      const res = await service.api.post('/api/v1/complaints', { ...newComplaintBody(), channel: 'fax', evidence: ['not a url'], extra: 1 }, consumer('u1'));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['channel', 'evidence.0', '']));
      const query = await service.api.get('/api/v1/complaints?limit=101&status=lost&colour=red', agent);
      expect(query.status).toBe(400);
      expect(query.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['limit', 'status']));
      expect((await service.api.get('/api/v1/complaints?cursor=bm9wZQ', agent)).status).toBe(400);
      const tooLong = await service.api.post('/api/v1/complaints', newComplaintBody({ description: 'x'.repeat(5001) }), consumer('u1'));
      expect(tooLong.body.errors).toEqual([expect.objectContaining({ path: 'description' })]);
      const badKey = await open('u1', {}, { 'idempotency-key': 'has spaces in it' });
      expect(badKey.status).toBe(400);
    });

    it('400 for a body that is not JSON, 415 for one that is not declared JSON, 413 past 64 KB', async () => {
      const broken = await service.api.call('POST', '/api/v1/complaints', { as: consumer('u1'), body: '{"orderId": ', headers: { 'content-type': 'application/json' } });
      expect(broken.status).toBe(400);
      const text = await service.api.call('POST', '/api/v1/complaints', { as: consumer('u1'), body: 'orderId=1', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      expect(text.headers.get('content-type')).toContain('application/problem+json');
      const huge = await service.api.post('/api/v1/complaints', newComplaintBody({ description: 'x'.repeat(70_000) }), consumer('u1'));
      expect(huge.status).toBe(413);
    });

    it('404 for an unknown complaint and for another consumer\'s, in reads and actions', async () => {
      const id = (await open('owner-404')).body.id;
      expect((await service.api.get('/api/v1/complaints/unknown', agent)).status).toBe(404);
      expect((await service.api.get(`/api/v1/complaints/${id}`, consumer('intruder'))).status).toBe(404);
      expect((await service.api.post(`/api/v1/complaints/${id}/withdraw`, {}, consumer('intruder'))).status).toBe(404);
      expect((await service.api.post('/api/v1/complaints/unknown/acknowledge', {}, agent)).status).toBe(404);
      expect((await service.api.get('/api/v1/nothing-here', agent)).status).toBe(404);
    });

    it('409 naming the state, and nothing changes', async () => {
      const id = (await open('owner-409')).body.id;
      const res = await service.api.post(`/api/v1/complaints/${id}/satisfaction`, { score: 5 }, consumer('owner-409'));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ state: 'received', detail: expect.stringContaining('received') });
      expect((await service.api.get(`/api/v1/complaints/${id}`, agent)).body.revision).toBe(1);
    });

    it('429 past the rate limit of a token, others unaffected', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.api.get('/api/v1/complaints', agent)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await limited.api.get('/api/v1/complaints', supervisor)).status).toBe(200);
    });

    it('never sends a stack trace, and sets protective headers', async () => {
      const res = await service.api.post('/api/v1/complaints', '{"a":', consumer('u1'), { 'content-type': 'application/json' });
      expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });
  });

  describe('idempotent intake', () => {
    it('gives the same complaint for the same key and body, 422 for another body', async () => {
      const key = `key-${Date.now()}`;
      const body = newComplaintBody();
      const first = await service.api.post('/api/v1/complaints', body, consumer('idem'), { 'idempotency-key': key });
      const again = await service.api.post('/api/v1/complaints', body, consumer('idem'), { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const other = await service.api.post('/api/v1/complaints', { ...body, description: 'Something else' }, consumer('idem'), { 'idempotency-key': key });
      expect(other.status).toBe(422);
      // The same key from another caller is another request.
      const stranger = await service.api.post('/api/v1/complaints', body, consumer('someone-else'), { 'idempotency-key': key });
      expect(stranger.status).toBe(201);
      expect(stranger.body.id).not.toBe(first.body.id);
    });

    it('answers a repeated action with the same Idempotency-Key with its first answer, applied once', async () => {
      const id = (await open('owner-idem-action')).body.id;
      const ack = (key?: string) => service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent, key ? { 'idempotency-key': key } : {});
      const first = await ack('ack-1');
      const again = await ack('ack-1');
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body.revision).toBe(first.body.revision);
      // Without the key (or with another) it is a new request, refused in the new state.
      expect((await ack()).status).toBe(409);
      expect((await ack('ack-2')).status).toBe(409);
      const timeline = (await service.api.get(`/api/v1/complaints/${id}`, agent)).body.timeline as Array<{ type: string }>;
      expect(timeline.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
    });

    it('opens one case for ten concurrent retries of the same request', async () => {
      const key = `burst-${Date.now()}`;
      const body = newComplaintBody();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => service.api.post('/api/v1/complaints', body, consumer('burst'), { 'idempotency-key': key })),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(9);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      const listed = await eventually(async () => {
        const page = (await service.api.get('/api/v1/complaints?customerId=burst', agent)).body.items;
        return page.length > 0 ? page : null;
      });
      expect(listed).toHaveLength(1);
    });

    it('answers 409 with the open complaint for the same order, unless a duplicate is asked for', async () => {
      const body = newComplaintBody();
      const first = await service.api.post('/api/v1/complaints', body, consumer('dup'));
      const second = await service.api.post('/api/v1/complaints', { ...body, description: 'Again' }, consumer('dup'));
      expect(second.status).toBe(409);
      expect(second.body.existingId).toBe(first.body.id);
      const allowed = await service.api.post('/api/v1/complaints', { ...body, allowDuplicate: true }, consumer('dup'));
      expect(allowed.status).toBe(201);
      // Once withdrawn, the order is free again.
      const withdrawn = await service.api.post('/api/v1/complaints', newComplaintBody(), consumer('dup2'));
      await service.api.post(`/api/v1/complaints/${withdrawn.body.id}/withdraw`, {}, consumer('dup2'));
      await eventually(async () => ((await service.api.get(`/api/v1/complaints/${withdrawn.body.id}`, agent)).body.status === 'withdrawn' ? true : null));
    });
  });

  describe('the list (read model)', () => {
    it('filters, pages newest first with a cursor, and omits timelines', async () => {
      const owner = `lister-${Date.now()}`;
      const ids: string[] = [];
      for (const category of ['quality', 'logistics', 'quality', 'legal', 'quality']) {
        ids.push((await service.api.post('/api/v1/complaints', newComplaintBody({ category }), consumer(owner))).body.id);
      }
      await service.api.post(`/api/v1/complaints/${ids[4]}/escalate`, { reason: 'VIP', level: 2 }, supervisor);
      await service.api.post(`/api/v1/complaints/${ids[3]}/acknowledge`, {}, agent);
      const all = await eventually(async () => {
        const res = await service.api.get(`/api/v1/complaints?customerId=${owner}&limit=100`, ops);
        const escalated = res.body.items.find((c: any) => c.id === ids[4])?.escalationLevel === 2;
        const acknowledged = res.body.items.find((c: any) => c.id === ids[3])?.status === 'investigating';
        return res.body.items.length === 5 && escalated && acknowledged ? res.body.items : null;
      });
      expect(all.map((c: any) => c.id)).toEqual([...ids].reverse());
      expect(all[0].timeline).toBeUndefined();

      const page1 = (await service.api.get(`/api/v1/complaints?customerId=${owner}&limit=2`, agent)).body;
      const page2 = (await service.api.get(`/api/v1/complaints?customerId=${owner}&limit=2&cursor=${page1.nextCursor}`, agent)).body;
      const page3 = (await service.api.get(`/api/v1/complaints?customerId=${owner}&limit=2&cursor=${page2.nextCursor}`, agent)).body;
      expect([...page1.items, ...page2.items, ...page3.items].map((c: any) => c.id)).toEqual([...ids].reverse());
      expect(page3.nextCursor).toBeUndefined();

      const q = async (filter: string) =>
        (await service.api.get(`/api/v1/complaints?customerId=${owner}&${filter}`, supervisor)).body.items.map((c: any) => c.id);
      expect(await q('category=quality')).toEqual([ids[4], ids[2], ids[0]]);
      expect(await q('escalated=true')).toEqual([ids[4]]);
      expect(await q('escalated=false&category=quality')).toEqual([ids[2], ids[0]]);
      expect(await q('status=investigating')).toEqual([ids[3]]);
      expect(await q('breached=true')).toEqual([]);
      expect(await q('severity=general')).toHaveLength(5);
    });
  });

  describe('documentation, metrics, codec', () => {
    it('serves an OpenAPI 3.1 document of every endpoint, and Swagger UI from local files', async () => {
      const doc = (await service.api.get('/openapi.json')).body;
      expect(doc.openapi).toBe('3.1.0');
      const operations = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      for (const expected of [
        'POST /api/v1/complaints', 'GET /api/v1/complaints', 'GET /api/v1/complaints/{id}',
        ...['acknowledge', 'departments', 'findings', 'plan', 'feedback', 'fulfilment', 'satisfaction', 'escalate', 'withdraw'].map((a) => `POST /api/v1/complaints/{id}/${a}`),
      ]) {
        expect(operations).toContain(expected);
      }
      expect(doc.components.schemas).toBeDefined();
      const page = await fetch(new URL('/docs/', service.apiUrl));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger-ui');
      expect((await fetch(new URL('/docs/swagger-ui-bundle.js', service.apiUrl))).status).toBe(200);
      expect(await (await fetch(new URL('/docs/swagger-initializer.js', service.apiUrl))).text()).toContain('/openapi.json');
    });

    it('counts requests by route and status on the internal metrics port', async () => {
      await service.api.get('/api/v1/complaints/nope', agent);
      const text = await (await fetch(service.metricsUrl!)).text();
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/complaints\/\{id\}",status="404"\} \d+/);
      expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.05",method="POST",route="\/api\/v1\/complaints",status="201"\}/);
      // The worker's metrics from the Temporal SDK runtime, merged in.
      expect(text).toMatch(/^temporal_workflow_task_execution_latency|^temporal_.*workflow/m);
    });

    it('decodes payloads for ops through the codec endpoint, for no one else', async () => {
      const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"phone":"13800138000"}').toString('base64') };
      const encoded = await service.api.post('/codec/encode', { payloads: [plain] }, ops);
      expect(encoded.status).toBe(200);
      expect(Buffer.from(encoded.body.payloads[0].data, 'base64').toString('latin1')).not.toContain('13800138000');
      const decoded = await service.api.post('/codec/decode', encoded.body, ops);
      expect(decoded.body.payloads[0]).toEqual(plain);
      expect((await service.api.post('/codec/decode', encoded.body, agent)).status).toBe(403);
      expect((await service.api.post('/codec/decode', encoded.body)).status).toBe(401);
    });
  });

  describe('a client written only from /openapi.json', () => {
    it('runs a complaint from intake to closure, every request and answer as the document says', async () => {
      const doc = (await service.api.get('/openapi.json')).body;
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      ajv.addFormat('date-time', true).addFormat('uri', true).addFormat('email', true).addFormat('date', true);
      ajv.addSchema({ $id: 'doc', components: doc.components });
      const fix = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components'));
      const call = async (method: string, path: string, body: unknown, as: any, pathArgs: Record<string, string> = {}) => {
        const operation = doc.paths[path]?.[method];
        expect(operation, `${method} ${path} documented`).toBeDefined();
        const requestSchema = operation.requestBody?.content['application/json']?.schema;
        if (body !== undefined) {
          const valid = ajv.validate(fix(requestSchema) as object, body);
          expect(valid, `${method} ${path} request: ${ajv.errorsText()}`).toBe(true);
        }
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => pathArgs[name]!);
        const res = await service.api.call(method.toUpperCase(), url, { as, body });
        const documented = operation.responses[String(res.status)];
        expect(documented, `${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`).toBeDefined();
        const schema = documented.content?.['application/json']?.schema ?? documented.content?.['application/problem+json']?.schema;
        const valid = ajv.validate(fix(schema) as object, res.body);
        expect(valid, `${method} ${path} ${res.status} answer: ${ajv.errorsText()}`).toBe(true);
        return res;
      };
      const created = await call('post', '/api/v1/complaints', newComplaintBody({ category: 'false_advertising' }), consumer('oa'));
      expect(created.status).toBe(201);
      const id = { id: created.body.id };
      await call('get', '/api/v1/complaints/{id}', undefined, consumer('oa'), id);
      await call('post', '/api/v1/complaints/{id}/acknowledge', { note: 'ok' }, agent, id);
      await call('post', '/api/v1/complaints/{id}/departments', { add: ['quality'] }, agent, id);
      await call('post', '/api/v1/complaints/{id}/findings', { department: 'legal', summary: 'Misleading', responsibleParty: 'merchant' }, department('legal'), id);
      await call('post', '/api/v1/complaints/{id}/findings', { department: 'quality', summary: 'Fine', responsibleParty: 'none' }, department('quality'), id);
      await call('post', '/api/v1/complaints/{id}/plan', { remedy: 'apology', description: 'We apologise' }, agent, id);
      await call('post', '/api/v1/complaints/{id}/feedback', { accepted: false, comment: 'Not enough' }, consumer('oa'), id);
      await call('post', '/api/v1/complaints/{id}/plan', { remedy: 'compensation', description: 'CNY 50', amount: 50, currency: 'CNY' }, agent, id);
      await call('post', '/api/v1/complaints/{id}/feedback', { accepted: true }, consumer('oa'), id);
      await call('post', '/api/v1/complaints/{id}/escalate', { reason: 'Watch it', level: 2 }, supervisor, id);
      // The payment request must be with the payment service (manual task) before a hand confirms it.
      await eventually(async () => ((await service.api.get(`/api/v1/complaints/${id.id}`, agent)).body.requests.some((r: any) => r.kind === 'compensation' && r.status === 'accepted') ? true : null));
      await call('post', '/api/v1/complaints/{id}/fulfilment', { done: true }, agent, id);
      const closed = await call('post', '/api/v1/complaints/{id}/satisfaction', { score: 4, comment: 'Good' }, consumer('oa'), id);
      expect(closed.body.status).toBe('closed');
      await call('get', '/api/v1/complaints', undefined, agent);
      await call('get', '/api/v1/complaints/{id}/notifications', undefined, agent, id);
      const refused = await call('post', '/api/v1/complaints/{id}/withdraw', {}, consumer('oa'), id);
      expect(refused.status).toBe(409);
    });
  });
});
