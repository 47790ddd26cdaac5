import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/auth';
import { agent, consumer, department, eventually, newComplaintBody, ops, startTestService, supervisor, type TestService } from '../support/service';

type Operation = {
  description?: string;
  parameters?: Array<{ name: string; in: string; description?: string; schema: Record<string, unknown> }>;
  requestBody?: { required: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, unknown>;
};

/**
 * The OpenAPI document states every rule the server applies to a request (issue 17, item 13),
 * and a method a path does not have is 405 with `Allow` (item 14). Each case sends the same
 * input to the server and to the document's schema: both accept it or both refuse it.
 */
describe('the OpenAPI document and the server agree', () => {
  let service: TestService;
  let doc: { paths: Record<string, Record<string, Operation>>; components: unknown };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const operation = (method: string, path: string) => doc.paths[`/api/v1${path}`]![method]!;
  /** Whether the document's schema admits a value (its `$ref`s resolved against the document). */
  const admits = (schema: object, value: unknown) =>
    ajv.validate(JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components')) as object, value);

  beforeAll(async () => {
    service = await startTestService();
    doc = (await service.api.get('/openapi.json')).body;
    ajv.addSchema({ $id: 'doc', components: doc.components });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const asRole: Record<string, Principal> = {
    consumer: consumer('oc'), agent, supervisor, ops, department: department('quality'),
  };
  /** The first role the operation's description lists: one that passes the role check. */
  const callerOf = (op: Operation) => asRole[/Roles: (\w+)/.exec(op.description ?? '')![1]!]!;

  it('declares a body required exactly when the server refuses a request without one', async () => {
    expect(operation('post', '/complaints/{id}/escalate').requestBody!.required).toBe(true);
    expect(operation('post', '/complaints').requestBody!.required).toBe(true);
    expect(operation('post', '/complaints/{id}/acknowledge').requestBody!.required).toBe(false);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.requestBody || path.endsWith('/ops/replay')) continue; // a replay without a body replays recent histories
        const res = await service.api.call(method.toUpperCase(), path.replace('{id}', 'no-such-case'), { as: callerOf(op) });
        expect(res.status === 400, `${method} ${path} without a body: ${res.status}, required: ${op.requestBody.required}`).toBe(op.requestBody.required);
      }
    }
  });

  it('states the contact rules (phone or e-mail, their patterns) as the server applies them', async () => {
    const intake = operation('post', '/complaints').requestBody!.content['application/json']!.schema;
    const contact = (intake as { properties: { contact: { anyOf?: unknown } } }).properties.contact;
    expect(contact.anyOf).toEqual([{ required: ['phone'] }, { required: ['email'] }]);
    const contacts: Array<Record<string, string>> = [
      { name: 'Li Wei' }, // neither phone nor e-mail
      { name: 'Li Wei', phone: '12345 ' }, // five digits and a space: a trimmed phone was shorter than the pattern said
      { name: 'Li Wei', phone: ' +86 138 0013 8000' },
      { name: 'Li Wei', email: 'li!wei@example.com' }, // a "format: email" address zod refuses
      { name: 'Li Wei', email: 'li.wei@localhost' },
      { name: 'Li Wei', phone: '+86 138 0013 8000' },
      { name: 'Li Wei', email: 'li.wei@example.com' },
    ];
    for (const [i, c] of contacts.entries()) {
      const body = newComplaintBody({ contact: c });
      const res = await service.api.post('/api/v1/complaints', body, consumer(`oc-contact-${i}`));
      expect(res.status === 201, `${JSON.stringify(c)}: server ${res.status}`).toBe(admits(intake, body));
    }
    const neither = await service.api.post('/api/v1/complaints', newComplaintBody({ contact: { name: 'Li Wei' } }), consumer('oc-contact'));
    expect(neither.body.errors).toEqual([expect.objectContaining({ path: 'contact.phone' })]);
  });

  it('validates the Idempotency-Key with the header schema it documents (visible ASCII, 1-128)', async () => {
    const header = operation('post', '/complaints').parameters!.find((p) => p.in === 'header' && p.name === 'idempotency-key')!;
    expect(header.schema).toMatchObject({ type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' });
    for (const path of ['/complaints/{id}/acknowledge', '/complaints/{id}/escalate']) {
      expect(operation('post', path).parameters!.find((p) => p.name === 'idempotency-key')!.schema).toEqual(header.schema);
      expect(operation('post', path).responses['400']).toBeDefined();
    }
    for (const [i, key] of ['has spaces in it', 'k'.repeat(129), 'tab\there', 'order-7_retry.1~'].entries()) {
      const res = await service.api.post('/api/v1/complaints', newComplaintBody(), consumer(`oc-key-${i}`), { 'idempotency-key': key });
      expect(res.status === 201, `key ${JSON.stringify(key)}: server ${res.status}`).toBe(admits(header.schema, key));
      if (res.status === 400) expect(res.body.errors).toEqual([expect.objectContaining({ path: 'idempotency-key' })]);
    }
    // An action checks the key before it looks for the case.
    const action = await service.api.post('/api/v1/complaints/no-such-case/acknowledge', {}, agent, { 'idempotency-key': 'has spaces' });
    expect(action.status).toBe(400);
  });

  it('states an ops reason\'s "3 characters once trimmed" as a pattern', async () => {
    const terminate = operation('post', '/ops/complaints/{id}/terminate').requestBody!.content['application/json']!.schema;
    for (const reason of ['   ', ' ab ', ' p\u009f', '\ufeffab\ufeff', 'abc', '  a c  ']) {
      // An unknown case: a body the server accepts goes on to its 404.
      const res = await service.api.post('/api/v1/ops/complaints/no-such-case/terminate', { reason }, ops);
      expect(res.status !== 400, `${JSON.stringify(reason)}: server ${res.status}`).toBe(admits(terminate, { reason }));
    }
  });

  it('documents a repeated intake (200) and an opaque list cursor', async () => {
    expect(operation('post', '/complaints').responses['200']).toBeDefined();
    const body = newComplaintBody();
    const key = 'oc-repeat-1';
    expect((await service.api.post('/api/v1/complaints', body, consumer('oc-repeat'), { 'idempotency-key': key })).status).toBe(201);
    expect((await service.api.post('/api/v1/complaints', body, consumer('oc-repeat'), { 'idempotency-key': key })).status).toBe(200);

    const cursor = operation('get', '/complaints').parameters!.find((p) => p.name === 'cursor')!;
    expect(cursor.description).toMatch(/opaque/i);
    expect(cursor.schema).toMatchObject({ pattern: '^[A-Za-z0-9_-]+$' });
    const next = await eventually(async () => (await service.api.get('/api/v1/complaints?limit=1', agent)).body.nextCursor as string | undefined);
    expect(admits(cursor.schema, next)).toBe(true);
    expect((await service.api.get(`/api/v1/complaints?limit=1&cursor=${next}`, agent)).status).toBe(200);
    const bad = await service.api.get('/api/v1/complaints?cursor=not%20a%20cursor', agent);
    expect(admits(cursor.schema, 'not a cursor')).toBe(false);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });
});

describe('methods a path does not have', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('are 405 with Allow (problem+json), on every API path and the service\'s own', async () => {
    const cases: Array<[method: string, path: string, allow: string]> = [
      ['PUT', '/api/v1/complaints', 'GET, HEAD, OPTIONS, POST'],
      ['DELETE', '/api/v1/complaints/some-id', 'GET, HEAD, OPTIONS'],
      ['PATCH', '/api/v1/complaints/some-id', 'GET, HEAD, OPTIONS'],
      ['GET', '/api/v1/complaints/some-id/acknowledge', 'OPTIONS, POST'],
      ['DELETE', '/api/v1/ops/complaints/some-id/reset', 'OPTIONS, POST'],
      ['POST', '/api/v1/reports/summary', 'GET, HEAD, OPTIONS'],
      ['POST', '/healthz', 'GET, HEAD, OPTIONS'],
      ['DELETE', '/readyz', 'GET, HEAD, OPTIONS'],
      ['PUT', '/openapi.json', 'GET, HEAD, OPTIONS'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await service.api.call(method, path, { as: ops });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
    }
    const options = await service.api.call('OPTIONS', '/api/v1/complaints/some-id/withdraw', { as: consumer() });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('OPTIONS, POST');
  });

  it('still need a token on the API, and an unknown path is still 404', async () => {
    expect((await service.api.call('PUT', '/api/v1/complaints')).status).toBe(401);
    expect((await service.api.call('PUT', '/api/v1/nothing-here', { as: ops })).status).toBe(404);
    expect((await service.api.get('/api/v1/complaints/some-id/nothing', ops)).status).toBe(404);
    expect((await service.api.call('HEAD', '/healthz')).status).toBe(200);
  });
});
