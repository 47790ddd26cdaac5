import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentUsers } from '../../identity/provider/development-users';
import { startEmbeddedIdentityProvider } from '../../identity/provider/embedded-provider';
import { developmentMachineClient } from '../../identity/sign-in/settings';
import { newComplaintBody, startTestService, type TestService } from '../support/service';
import { SessionClient, signIn } from '../support/sign-in';

/**
 * Sign-in through OpenID Connect against the service's embedded development provider, over
 * real HTTP: sessions, their ends, CSRF, and the provider's own access tokens. Nothing of the
 * flow is mocked.
 */
describe('sign-in and sessions', () => {
  let service: TestService;
  const tokenEndpoint = async () => ((await (await fetch(`${service.identityProviderUrl}/.well-known/openid-configuration`)).json()) as { token_endpoint: string }).token_endpoint;
  const clientCredentials = async (extra: Record<string, string> = {}) => {
    const res = await fetch(await tokenEndpoint(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${developmentMachineClient.clientId}:${developmentMachineClient.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...extra }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };

  beforeAll(async () => {
    service = await startTestService({ SESSION_IDLE_MINUTES: '0.05', SESSION_ABSOLUTE_HOURS: '1' });
  });
  afterAll(() => service?.stop());

  it('signs each role in, answers /me with the principal, and sign-out ends the session', async () => {
    const expected = {
      'consumer-1': { role: 'consumer', sub: 'consumer-1' },
      'agent-1': { role: 'agent', sub: 'agent-1' },
      'quality-1': { role: 'department', department: 'quality', sub: 'quality-1' },
      'supervisor-1': { role: 'supervisor', sub: 'supervisor-1' },
      'ops-1': { role: 'ops', sub: 'ops-1' },
    };
    for (const [username, principal] of Object.entries(expected)) {
      const { tab, response, url } = await signIn(service.apiUrl, username);
      expect(url).toBe(`${service.apiUrl}/api/v1/me`);
      const me = (await response.json()) as any;
      expect(me).toMatchObject({ ...principal, authenticatedBy: 'session', csrfToken: expect.any(String), name: expect.any(String) });
      const cookie = tab.jar.header(new URL(service.apiUrl));
      expect(cookie).toMatch(/complaints\.sid=/);

      const out = await tab.request(`${service.apiUrl}/auth/logout`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: service.apiUrl }, body: new URLSearchParams({ csrf: me.csrfToken }).toString(),
      });
      expect(out.status).toBe(303);
      // RP-initiated logout at the provider, then back to the service.
      expect(out.headers.get('location')).toContain(service.identityProviderUrl!);
      const old = await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie } });
      expect(old.status).toBe(401);
    }
  });

  it('sets the session cookie HttpOnly and SameSite=Lax (not Secure on plain-HTTP localhost)', async () => {
    // The session that carries a sign-in in progress has the same cookie as a signed-in one.
    const first = await fetch(`${service.apiUrl}/auth/login`, { redirect: 'manual' });
    const setCookie = first.headers.getSetCookie().find((c) => c.startsWith('complaints.sid='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);
  });

  it('refuses a tampered cookie and a session past its idle time', async () => {
    const { tab, response } = await signIn(service.apiUrl, 'consumer-1');
    expect(response.status).toBe(200);
    const cookie = tab.jar.header(new URL(service.apiUrl));
    const tampered = cookie.replace(/complaints\.sid=s%3A([^.]+)/, (_m, id: string) => `complaints.sid=s%3A${id.slice(0, -2)}xx`);
    expect(tampered).not.toBe(cookie);
    expect((await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie: tampered } })).status).toBe(401);
    expect((await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie } })).status).toBe(200);
    // Idle for longer than SESSION_IDLE_MINUTES (3 s here).
    await new Promise((r) => setTimeout(r, 4000));
    expect((await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('shows "no access" to a person whose claims name no role, and starts no session', async () => {
    const { response, url, tab } = await signIn(service.apiUrl, 'visitor-1');
    expect(url).toContain('/auth/callback');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('No access');
    expect((await tab.request(`${service.apiUrl}/api/v1/me`)).status).toBe(401);
    // "Sign in as someone else": the provider asks again although it still knows visitor-1.
    const other = await signIn(service.apiUrl, 'consumer-2', { tab, signInAgain: true });
    expect(other.response.status, `${other.url} ${other.response.status === 200 ? '' : await other.response.clone().text()}`).toBe(200);
    const text = await other.response.text();
    expect(other.url, text.replace(/\s+/g, ' ').slice(0, 1500)).toBe(`${service.apiUrl}/api/v1/me`);
    expect(JSON.parse(text)).toMatchObject({ sub: 'consumer-2', role: 'consumer' });
  });

  it('is not signed out by another site sending the browser to the callback with an error', async () => {
    const { tab, response } = await signIn(service.apiUrl, 'agent-1');
    expect(response.status).toBe(200);
    // The other site starts a sign-in in this browser, then fakes the provider's refusal.
    expect((await tab.request(`${service.apiUrl}/auth/login`)).status).toBe(302);
    const forged = await tab.request(`${service.apiUrl}/auth/callback?error=access_denied&state=forged`);
    expect(forged.status).toBe(400);
    expect((await tab.request(`${service.apiUrl}/api/v1/me`)).status).toBe(200);
  });

  it('protects a session\'s POSTs from other sites: a cross-origin or tokenless POST is 403 and opens nothing', async () => {
    const consumer = await SessionClient.signIn(service.apiUrl, 'consumer-1');
    const body = newComplaintBody();
    const crossSite = await consumer.call('POST', '/api/v1/complaints', body, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const noToken = await consumer.call('POST', '/api/v1/complaints', body, { 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    const list = await service.api.get(`/api/v1/complaints?customerId=consumer-1`, { role: 'agent', sub: 'a1' });
    expect(list.body.items.filter((c: any) => c.orderId === body.orderId)).toEqual([]);
    const opened = await consumer.call('POST', '/api/v1/complaints', body);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.customerId).toBe('consumer-1');
  });

  it('neither reads nor renews a session for an API call that brings a bearer token', async () => {
    const { tab } = await signIn(service.apiUrl, 'consumer-1');
    const cookie = tab.jar.header(new URL(service.apiUrl));
    // With the cookie alone the session answers, and is renewed (a rolling cookie).
    const bySession = await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie } });
    expect(await bySession.json()).toMatchObject({ sub: 'consumer-1', authenticatedBy: 'session' });
    expect(bySession.headers.getSetCookie().some((c) => c.startsWith('complaints.sid='))).toBe(true);
    // With a token as well, the token alone counts: no session is looked up or renewed.
    const byToken = await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie, authorization: `Bearer ${await clientCredentials()}` } });
    expect(await byToken.json()).toMatchObject({ sub: developmentMachineClient.clientId, authenticatedBy: 'bearer' });
    expect(byToken.headers.getSetCookie()).toEqual([]);
    // A bad token is refused, whatever cookie comes with it; the session itself is untouched.
    expect((await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie, authorization: 'Bearer not-a-token' } })).status).toBe(401);
    expect(await (await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie } })).json()).toMatchObject({ sub: 'consumer-1', authenticatedBy: 'session' });
  });

  it('accepts the provider\'s client-credentials tokens, and refuses a wrong audience or issuer', async () => {
    const token = await clientCredentials();
    const me = await fetch(`${service.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: developmentMachineClient.clientId, role: 'agent', authenticatedBy: 'bearer' });

    // Signed by another key, with our issuer, or by the right key shape with another issuer/audience.
    const { privateKey } = await generateKeyPair('RS256');
    const forged = (claims: { iss: string; aud: string }) =>
      new SignJWT({ role: 'agent' }).setProtectedHeader({ alg: 'RS256', kid: 'other' }).setSubject('x').setIssuer(claims.iss)
        .setAudience(claims.aud).setExpirationTime('5m').sign(privateKey);
    for (const bad of [
      await forged({ iss: service.identityProviderUrl!, aud: 'complaints-api' }),
      await forged({ iss: 'https://other-issuer.example', aud: 'complaints-api' }),
    ]) {
      expect((await fetch(`${service.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${bad}` } })).status).toBe(401);
    }
  });

  it('ends a session at its absolute lifetime however active it is', async () => {
    const strict = await startTestService({ SESSION_IDLE_MINUTES: '10', SESSION_ABSOLUTE_HOURS: '0.001' });
    try {
      const { tab, response } = await signIn(strict.apiUrl, 'supervisor-1');
      expect(response.status).toBe(200);
      for (let i = 0; i < 3; i++) {
        expect((await tab.request(`${strict.apiUrl}/api/v1/me`)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1000));
      }
      await new Promise((r) => setTimeout(r, 1500)); // 3.6 s after sign-in
      expect((await tab.request(`${strict.apiUrl}/api/v1/me`)).status).toBe(401);
    } finally {
      await strict.stop();
    }
  });

  it('gives no access at the next sign-in to a person who lost their role at the provider', async () => {
    const agent = developmentUsers.find((u) => u.username === 'agent-1')! as { role?: string };
    const { tab, response } = await signIn(service.apiUrl, 'agent-1');
    expect(response.status).toBe(200);
    const role = agent.role;
    agent.role = undefined;
    try {
      const again = await signIn(service.apiUrl, 'agent-1', { tab });
      expect(again.response.status).toBe(403);
      expect(await again.response.text()).toContain('No access');
      // The session of before is gone too: signing in again started over.
      expect((await tab.request(`${service.apiUrl}/api/v1/me`)).status).toBe(401);
    } finally {
      agent.role = role;
    }
  });

  it('refuses the provider\'s own signed tokens meant for another API, or from another issuer', async () => {
    // A real provider (the issuer the service trusts) whose API audience is not this service's.
    const machine = { clientId: 'other-backend', clientSecret: 'other-backend-secret-0123' };
    const elsewhere = await startEmbeddedIdentityProvider({ api: { audience: 'another-api' }, machineClients: [{ ...machine, claims: { role: 'agent' } }] });
    const trusting = await startTestService({ AUTH_OIDC_ISSUER: elsewhere.issuer, AUTH_OIDC_CLIENT_SECRET: 'unused-secret' });
    try {
      const config = await (await fetch(`${elsewhere.issuer}/.well-known/openid-configuration`)).json() as { token_endpoint: string };
      const res = await fetch(config.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${machine.clientId}:${machine.clientSecret}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      const { access_token: wrongAudience } = await res.json() as { access_token: string };
      expect((await fetch(`${trusting.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${wrongAudience}` } })).status).toBe(401);
      // The same token where that audience is the API's: accepted (the keys and issuer were right).
      const meant = await startTestService({ AUTH_OIDC_ISSUER: elsewhere.issuer, AUTH_OIDC_CLIENT_SECRET: 'unused-secret', AUTH_OIDC_AUDIENCE: 'another-api' });
      try {
        expect((await fetch(`${meant.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${wrongAudience}` } })).status).toBe(200);
      } finally {
        await meant.stop();
      }
      // The right audience, but signed by the other service's provider (another issuer).
      const otherIssuer = await clientCredentials();
      expect((await fetch(`${trusting.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${otherIssuer}` } })).status).toBe(401);
      expect((await fetch(`${service.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${otherIssuer}` } })).status).toBe(200);
    } finally {
      await trusting.stop();
      await elsewhere.stop();
    }
  });

  it('answers a clear page when the provider is down at sign-in, and stays up', async () => {
    const other = await startTestService({ AUTH_OIDC_ISSUER: 'http://127.0.0.1:9', AUTH_OIDC_CLIENT_SECRET: 'unused-secret' });
    try {
      const res = await fetch(`${other.apiUrl}/auth/login`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/cannot be reached/);
      expect((await fetch(`${other.apiUrl}/healthz`)).status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});
