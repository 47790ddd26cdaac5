import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorSchema } from '../../domain/complaint-schema';
import { developmentUsers } from '../../identity/provider/development-users';
import { startEmbeddedIdentityProvider, type EmbeddedIdentityProvider } from '../../identity/provider/embedded-provider';
import { browser, form } from '../support/http-browser';

/**
 * The embedded development identity provider, over real HTTP, with openid-client as the relying
 * party and plain fetch as the browser (cookies kept, redirects followed by hand).
 */

const web = { clientId: 'complaints-web', clientSecret: 'web-secret-for-tests-only' };
const redirectUri = 'http://127.0.0.1:9/auth/callback';
const postLogoutRedirectUri = 'http://127.0.0.1:9/signed-out';
const machine = { clientId: 'shop-backend', clientSecret: 'shop-secret-for-tests-only' };

/** The relying party's side of a sign-in: openid-client builds and checks, fetch is the browser. */
function relyingParty(config: client.Configuration, issuer: string) {
  async function authorizationRequest(extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    });
    return { url, verifier, state };
  }

  /** Signs `username` in from the start of a fresh flow, as a person at a browser would. */
  async function signIn(username: string, extra: Record<string, string> = {}, tab = browser()) {
    const { url, verifier, state } = await authorizationRequest(extra);
    const page = await tab.follow(url, undefined, issuer);
    expect(page.response.status).toBe(200);
    expect(page.url.startsWith(`${issuer}/interaction/`)).toBe(true);
    const action = formAction(await page.response.text());
    const done = await tab.follow(new URL(action, page.url), form({ username, password: username }), issuer);
    expect(done.url.startsWith(`${redirectUri}?`)).toBe(true);
    return { callback: new URL(done.url), verifier, state, tab };
  }
  return { authorizationRequest, signIn };
}

const formAction = (html: string) => /<form method="post" action="([^"]+)"/.exec(html)![1]!;

describe('embedded development identity provider', () => {
  let idp: EmbeddedIdentityProvider;
  let config: client.Configuration;
  /** A stand-in for the relying party's callback page, for the browser test. */
  let callbackServer: Server;
  let browserRedirectUri: string;

  beforeAll(async () => {
    callbackServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>callback</title>'));
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    browserRedirectUri = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/auth/callback`;
    idp = await startEmbeddedIdentityProvider({
      clients: [{ ...web, redirectUris: [redirectUri, browserRedirectUri], postLogoutRedirectUris: [postLogoutRedirectUri] }],
      machineClients: [
        { ...machine, claims: { role: 'agent' }, tokenEndpointAuthMethod: 'client_secret_post' },
        { clientId: 'quality-lab', clientSecret: 'lab-secret-for-tests-only', claims: { role: 'department', department: 'quality' } },
      ],
    });
    config = await client.discovery(new URL(idp.issuer), web.clientId, undefined, client.ClientSecretBasic(web.clientSecret), {
      execute: [client.allowInsecureRequests],
    });
  });
  afterAll(async () => {
    await idp?.stop();
    await new Promise((resolve) => callbackServer?.close(resolve));
  });

  const authorizationRequest = (extra: Record<string, string> = {}) => relyingParty(config, idp.issuer).authorizationRequest(extra);
  const signIn = (username: string, extra: Record<string, string> = {}) => relyingParty(config, idp.issuer).signIn(username, extra);

  it('publishes its metadata over plain http, with PKCE, logout, client credentials and the role claims', async () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(idp.issuer);
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(metadata.end_session_endpoint).toBe(`${idp.issuer}/session/end`);
    expect(metadata.grant_types_supported).toContain('client_credentials');
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'email', 'role', 'department']));
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('shows a sign-in page that says it is for development and lists the users', async () => {
    const { url } = await authorizationRequest();
    const page = await browser().follow(url, undefined, idp.issuer);
    const html = await page.response.text();
    expect(page.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/Development identity provider[^]*must never be used in production/);
    expect(html.indexOf('development-warning')).toBeLessThan(html.indexOf('<form'));
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('<button type="submit">Sign in</button>');
    for (const user of developmentUsers) expect(html).toContain(`<td>${user.username}</td>`);
    expect(html).toContain('<td>quality-1</td><td>Jonas Berg</td><td>department</td><td>quality</td>');
  });

  it('signs quality-1 in through the authorization code flow with PKCE; the ID token carries the role claims', async () => {
    const { callback, verifier, state } = await signIn('quality-1');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('code')).toBeTruthy();
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()).toMatchObject({
      iss: idp.issuer,
      aud: web.clientId,
      sub: 'quality-1',
      name: 'Jonas Berg',
      email: 'quality-1@example.test',
      role: 'department',
      department: 'quality',
    });
    expect(actorSchema.parse(tokens.claims())).toEqual({ sub: 'quality-1', role: 'department', department: 'quality' });
    // The access token is for userinfo, which answers the same claims.
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'quality-1');
    expect(userinfo).toMatchObject({ sub: 'quality-1', role: 'department', department: 'quality', name: 'Jonas Berg' });
  });

  it('signs every development user in with the claims the list gives them', async () => {
    for (const user of developmentUsers.filter((u) => ['consumer-1', 'agent-1', 'supervisor-1', 'ops-1', 'legal-1'].includes(u.username))) {
      const { callback, verifier, state } = await signIn(user.username);
      const claims = (await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state })).claims()!;
      expect({ sub: claims.sub, name: claims.name, role: claims.role, department: claims.department }).toEqual({
        sub: user.username,
        name: user.name,
        role: user.role,
        department: user.department,
      });
    }
  });

  it('signs visitor-1 in with an ID token that names no valid role', async () => {
    const { callback, verifier, state } = await signIn('visitor-1');
    const claims = (await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state })).claims()!;
    expect(claims.sub).toBe('visitor-1');
    expect(claims.role).toBe('guest');
    expect(claims).not.toHaveProperty('department');
    expect(actorSchema.safeParse(claims).success).toBe(false);
  });

  it('re-renders the sign-in page with an error on a wrong password, and no redirect', async () => {
    const tab = browser();
    const { url } = await authorizationRequest();
    const page = await tab.follow(url, undefined, idp.issuer);
    const action = new URL(formAction(await page.response.text()), page.url);
    for (const attempt of [{ username: 'agent-1', password: 'wrong' }, { username: 'nobody', password: 'nobody' }]) {
      const failed = await tab.request(action, form(attempt));
      expect(failed.status).toBe(400);
      expect(failed.headers.get('location')).toBeNull();
      const html = await failed.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain('Unknown username or wrong password');
      expect(html).toContain('must never be used in production');
    }
    // The same sign-in still works with the right password.
    const done = await tab.follow(action, form({ username: 'agent-1', password: 'agent-1' }), idp.issuer);
    expect(done.url.startsWith(`${redirectUri}?`)).toBe(true);
  });

  it('refuses an authorization request without a PKCE code challenge', async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid', state: 'no-pkce' });
    const response = await browser().request(url);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.href.startsWith(redirectUri)).toBe(true);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('ends the session through RP-initiated logout and comes back to the post-logout URI', async () => {
    const { callback, verifier, state, tab } = await signIn('supervisor-1');
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const logout = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogoutRedirectUri, state: 'bye' });
    const confirm = await tab.request(logout);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('must never be used in production');
    const [, action = '', xsrf = ''] = /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"/.exec(html) ?? [];
    const done = await tab.request(new URL(action, logout), form({ xsrf, logout: 'yes' }));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${postLogoutRedirectUri}?state=bye`);
    // The provider forgot the person: the next sign-in asks again.
    const again = await tab.follow((await authorizationRequest()).url, undefined, idp.issuer);
    expect(again.url).toMatch(/\/interaction\//);
    expect(await again.response.text()).toContain('<form method="post"');
  });

  it('a signed-in person is not asked again until logout, also when the application asks for more', async () => {
    const { tab } = await signIn('ops-1');
    const { url } = await authorizationRequest();
    const next = await tab.follow(url, undefined, idp.issuer);
    expect(next.url.startsWith(`${redirectUri}?`)).toBe(true);
    // The API scope was not granted yet: the consent prompt is answered without a page.
    const more = await authorizationRequest({ resource: idp.resource, scope: 'openid profile complaints' });
    const granted = await tab.follow(more.url, undefined, idp.issuer);
    expect(granted.url.startsWith(`${redirectUri}?`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(granted.url), { pkceCodeVerifier: more.verifier, expectedState: more.state }, { resource: idp.resource });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: 'ops-1', role: 'ops', aud: 'complaints-api', scope: 'complaints' });
  });

  it('answers an unknown or expired sign-in and an unknown client with a page, not a crash', async () => {
    const lost = await fetch(`${idp.issuer}/interaction/no-such-interaction`);
    expect(lost.status).toBe(400);
    expect(await lost.text()).toContain('The sign-in was not found or has expired');
    const posted = await fetch(`${idp.issuer}/interaction/no-such-interaction/login`, form({ username: 'agent-1', password: 'agent-1' }));
    expect(posted.status).toBe(400);
    const unknown = await fetch(`${idp.issuer}/auth?client_id=nobody&response_type=code&scope=openid`, { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    const html = await unknown.text();
    expect(html).toContain('must never be used in production');
    expect(html).toContain('invalid_client');
  });

  it('gives a machine client a JWT access token for the API, with its role, verifiable through the JWKS', async () => {
    const machineConfig = await client.discovery(new URL(idp.issuer), machine.clientId, machine.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    const tokens = await client.clientCredentialsGrant(machineConfig);
    expect(tokens.token_type).toBe('bearer');
    const jwks = createRemoteJWKSet(new URL(machineConfig.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: idp.issuer, audience: 'complaints-api' });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: 'shop-backend', role: 'agent', client_id: 'shop-backend', aud: 'complaints-api' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(actorSchema.parse(payload)).toEqual({ sub: 'shop-backend', role: 'agent' });

    // Asking for the API by its resource indicator gives the same; an unknown API is refused.
    const named = await client.clientCredentialsGrant(machineConfig, { resource: idp.resource, scope: 'complaints' });
    expect(decodeJwt(named.access_token)).toMatchObject({ aud: 'complaints-api', scope: 'complaints', role: 'agent' });
    await expect(client.clientCredentialsGrant(machineConfig, { resource: 'urn:other-api' })).rejects.toMatchObject({ error: 'invalid_target' });
    // A wrong secret gets nothing.
    const wrong = await client.discovery(new URL(idp.issuer), machine.clientId, 'not-the-secret', undefined, { execute: [client.allowInsecureRequests] });
    await expect(client.clientCredentialsGrant(wrong)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('answers a plain client_credentials POST with HTTP Basic (as curl -u would send it)', async () => {
    const response = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('quality-lab:lab-secret-for-tests-only').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    const { access_token, expires_in } = (await response.json()) as { access_token: string; expires_in: number };
    expect(expires_in).toBe(600);
    const { payload } = await jwtVerify(access_token, createRemoteJWKSet(new URL(`${idp.issuer}/jwks`)), { issuer: idp.issuer, audience: 'complaints-api' });
    expect(actorSchema.parse(payload)).toEqual({ sub: 'quality-lab', role: 'department', department: 'quality' });
  });

  it('refuses machine-client claims that the provider sets itself', async () => {
    await expect(startEmbeddedIdentityProvider({ machineClients: [{ clientId: 'x', clientSecret: 'y', claims: { sub: 'someone-else' } }] })).rejects.toThrow(/sets sub/);
  });

  it('gives a person a JWT access token for the API when the relying party asks for the resource', async () => {
    const { callback, verifier, state } = await signIn('logistics-1', { resource: idp.resource, scope: 'openid profile complaints' });
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, { resource: idp.resource });
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: idp.issuer, audience: 'complaints-api' });
    expect(payload).toMatchObject({ sub: 'logistics-1', role: 'department', department: 'logistics', client_id: web.clientId });
    expect(payload).not.toHaveProperty('name');
    expect(payload).not.toHaveProperty('email');
    expect(tokens.claims()).toMatchObject({ sub: 'logistics-1', role: 'department', department: 'logistics' });
  });

  it('puts the role and department under the configured claim names', async () => {
    const other = await startEmbeddedIdentityProvider({
      clients: [{ ...web, redirectUris: [redirectUri], tokenEndpointAuthMethod: 'client_secret_post' }],
      roleClaim: 'app_role',
      departmentClaim: 'app_department',
    });
    try {
      const otherConfig = await client.discovery(new URL(other.issuer), web.clientId, web.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
      const { callback, verifier, state } = await relyingParty(otherConfig, other.issuer).signIn('legal-1');
      const claims = (await client.authorizationCodeGrant(otherConfig, callback, { pkceCodeVerifier: verifier, expectedState: state })).claims()!;
      expect(claims).toMatchObject({ sub: 'legal-1', app_role: 'department', app_department: 'legal' });
      expect(claims).not.toHaveProperty('role');
      expect(otherConfig.serverMetadata().claims_supported).toEqual(expect.arrayContaining(['app_role', 'app_department']));
    } finally {
      await other.stop();
    }
  });

  it('signs agent-1 in from a real browser, with the keyboard', async () => {
    const { url, verifier, state } = await relyingParty(config, idp.issuer).authorizationRequest({ redirect_uri: browserRedirectUri });
    const chrome = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await chrome.newPage();
      await page.goto(url.href);
      await expect.poll(() => page.getByText('must never be used in production').isVisible()).toBe(true);
      // Autofocus is on the username: type it, tab to the password, submit with Enter.
      await page.keyboard.type('agent-1');
      await page.keyboard.press('Tab');
      await page.keyboard.type('agent-1');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.href.startsWith(browserRedirectUri));
      const callback = new URL(page.url());
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
      expect(tokens.claims()).toMatchObject({ sub: 'agent-1', role: 'agent', name: 'Sofia Marino' });

      // A wrong password in the browser: the labelled inputs and the error are there.
      await page.goto((await relyingParty(config, idp.issuer).authorizationRequest({ redirect_uri: browserRedirectUri, prompt: 'login' })).url.href);
      await page.getByLabel('Username').fill('agent-1');
      await page.getByLabel('Password').fill('nope');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong password');
      expect(page.url()).toMatch(/\/interaction\/[^/]+\/login$/);
    } finally {
      await chrome.close();
    }
  });

  it('refuses to start when NODE_ENV=production', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(startEmbeddedIdentityProvider()).rejects.toThrow(/never runs with NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});
