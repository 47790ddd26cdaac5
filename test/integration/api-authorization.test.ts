import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/auth';
import { roles, type Role } from '../../domain/complaint-schema';
import { consumer, newComplaintBody, startTestService, tokenFor, type TestService } from '../support/service';
import { SessionClient } from '../support/sign-in';

/**
 * Every endpoint × every role, against the roles of api-v1.md (written out here, not read
 * from the implementation): a role the contract does not name gets 403, a named one never
 * 401/403, and no token is 401 everywhere.
 */
const contract: Array<{ method: 'GET' | 'POST'; path: string; roles: Role[]; body?: unknown; department?: 'quality' | 'logistics' | 'legal' }> = [
  { method: 'POST', path: '/api/v1/complaints', roles: ['consumer', 'agent'], body: newComplaintBody({ customerId: 'owner' }) },
  { method: 'GET', path: '/api/v1/complaints/{id}', roles: ['consumer', 'agent', 'department', 'supervisor', 'ops'] },
  // Every role since issue 19: a consumer lists their own cases, a department the ones it works on.
  { method: 'GET', path: '/api/v1/complaints', roles: ['consumer', 'agent', 'department', 'supervisor', 'ops'] },
  { method: 'POST', path: '/api/v1/complaints/{id}/acknowledge', roles: ['agent'], body: {} },
  { method: 'POST', path: '/api/v1/complaints/{id}/departments', roles: ['agent'], body: { add: ['legal'] } },
  { method: 'POST', path: '/api/v1/complaints/{id}/findings', roles: ['department', 'agent'], body: { department: 'quality', summary: 's', responsibleParty: 'none' } },
  { method: 'POST', path: '/api/v1/complaints/{id}/plan', roles: ['agent'], body: { remedy: 'refund', description: 'd' } },
  { method: 'POST', path: '/api/v1/complaints/{id}/feedback', roles: ['consumer'], body: { accepted: true } },
  // "agent, department logistics"
  { method: 'POST', path: '/api/v1/complaints/{id}/fulfilment', roles: ['agent', 'department'], body: { done: true }, department: 'logistics' },
  { method: 'POST', path: '/api/v1/complaints/{id}/satisfaction', roles: ['consumer'], body: { score: 5 } },
  { method: 'POST', path: '/api/v1/complaints/{id}/escalate', roles: ['supervisor'], body: { reason: 'r' } },
  { method: 'POST', path: '/api/v1/complaints/{id}/withdraw', roles: ['consumer'], body: {} },
  { method: 'GET', path: '/api/v1/complaints/{id}/notifications', roles: ['agent', 'supervisor', 'ops'] },
];

const principals: Record<Role, Principal> = {
  consumer: { role: 'consumer', sub: 'owner' },
  agent: { role: 'agent', sub: 'a1' },
  department: { role: 'department', sub: 'd1', department: 'quality' },
  supervisor: { role: 'supervisor', sub: 's1' },
  ops: { role: 'ops', sub: 'o1' },
};

describe('authorization matrix (bearer tokens)', () => {
  let service: TestService;
  let id: string;

  beforeAll(async () => {
    service = await startTestService();
    id = (await service.api.post('/api/v1/complaints', newComplaintBody(), consumer('owner'))).body.id;
  });
  afterAll(() => service?.stop());

  for (const endpoint of contract) {
    for (const role of roles) {
      const allowed = endpoint.roles.includes(role);
      it(`${endpoint.method} ${endpoint.path} as ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const path = endpoint.path.replace('{id}', id);
        const as = role === 'department' && endpoint.department ? { ...principals.department, department: endpoint.department } : principals[role];
        const res = await service.api.call(endpoint.method, path, { as, body: endpoint.body });
        if (allowed) expect([401, 403], JSON.stringify(res.body)).not.toContain(res.status);
        else expect(res.status, JSON.stringify(res.body)).toBe(403);
      });
    }
    it(`${endpoint.method} ${endpoint.path} without a token: 401`, async () => {
      const res = await service.api.call(endpoint.method, endpoint.path.replace('{id}', id), { body: endpoint.body });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });
  }

  it('lets only the logistics department confirm fulfilment, and a department submit only its own findings', async () => {
    const fulfil = await service.api.post(`/api/v1/complaints/${id}/fulfilment`, { done: true }, principals.department);
    expect(fulfil.status).toBe(403);
    const foreign = await service.api.post(`/api/v1/complaints/${id}/findings`, { department: 'legal', summary: 's', responsibleParty: 'none' }, principals.department);
    expect(foreign.status).toBe(403);
  });

  it('rejects forged, expired and malformed tokens', async () => {
    const good = await tokenFor(principals.agent);
    const [header, payload] = good.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    const { SignJWT } = await import('jose');
    const expired = await new SignJWT({ role: 'agent' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode('test-secret-0123456789abcdef'));
    const noRole = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('a1')
      .sign(new TextEncoder().encode('test-secret-0123456789abcdef'));
    const departmentWithout = await new SignJWT({ role: 'department' }).setProtectedHeader({ alg: 'HS256' }).setSubject('d1')
      .sign(new TextEncoder().encode('test-secret-0123456789abcdef'));
    for (const token of [forged, none, expired, noRole, departmentWithout, 'garbage']) {
      const res = await service.api.call('GET', '/api/v1/complaints', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
  });
});

/** The same matrix for people signed in through the identity provider: a session is its principal. */
describe('authorization matrix (signed-in sessions)', () => {
  const users: Record<Role, string> = {
    consumer: 'consumer-1', agent: 'agent-1', department: 'quality-1', supervisor: 'supervisor-1', ops: 'ops-1',
  };
  let service: TestService;
  let id: string;
  const sessions = new Map<string, SessionClient>();
  const sessionFor = async (username: string) => {
    if (!sessions.has(username)) sessions.set(username, await SessionClient.signIn(service.apiUrl, username));
    return sessions.get(username)!;
  };

  beforeAll(async () => {
    service = await startTestService();
    id = (await (await sessionFor(users.consumer)).call('POST', '/api/v1/complaints', newComplaintBody())).body.id;
  });
  afterAll(() => service?.stop());

  for (const endpoint of contract) {
    for (const role of roles) {
      const allowed = endpoint.roles.includes(role);
      it(`${endpoint.method} ${endpoint.path} as a signed-in ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const username = role === 'department' && endpoint.department ? `${endpoint.department}-1` : users[role];
        const res = await (await sessionFor(username)).call(endpoint.method, endpoint.path.replace('{id}', id), endpoint.body);
        if (allowed) expect([401, 403], JSON.stringify(res.body)).not.toContain(res.status);
        else expect(res.status, JSON.stringify(res.body)).toBe(403);
      });
    }
  }
});
