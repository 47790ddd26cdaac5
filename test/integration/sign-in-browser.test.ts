import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service';

/**
 * A person signs in from a real browser (Debian's Chromium) through the service's embedded
 * development identity provider, as every role: the service's own pages, the provider's
 * sign-in page, the session cookie, /api/v1/me, and sign-out.
 */
describe('sign-in from a browser', () => {
  let service: TestService;
  let chrome: Browser;

  beforeAll(async () => {
    service = await startTestService();
    chrome = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await chrome?.close();
    await service?.stop();
  });

  const people = [
    { username: 'consumer-1', principal: { sub: 'consumer-1', role: 'consumer' }, says: 'Li Wei' },
    { username: 'agent-1', principal: { sub: 'agent-1', role: 'agent' }, says: 'Sofia Marino' },
    { username: 'logistics-1', principal: { sub: 'logistics-1', role: 'department', department: 'logistics' }, says: 'department (logistics)' },
    { username: 'supervisor-1', principal: { sub: 'supervisor-1', role: 'supervisor' }, says: 'Hannah Schulz' },
    { username: 'ops-1', principal: { sub: 'ops-1', role: 'ops' }, says: 'Kenji Watanabe' },
  ];

  for (const person of people) {
    it(`signs ${person.username} in, shows who is signed in, and signs out`, async () => {
      const context = await chrome.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${service.apiUrl}/auth/login`);
        // The provider's page, which says it is for development.
        await expect.poll(() => page.getByText('must never be used in production').isVisible()).toBe(true);
        await page.getByLabel('Username').fill(person.username);
        await page.getByLabel('Password').fill(person.username);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${service.apiUrl}/auth/session`);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed in');
        expect(await page.locator('main').textContent()).toContain(person.says);

        const me = await page.request.get(`${service.apiUrl}/api/v1/me`);
        expect(me.status()).toBe(200);
        expect(await me.json()).toMatchObject({ ...person.principal, authenticatedBy: 'session' });
        const cookies = await context.cookies(service.apiUrl);
        const session = cookies.find((c) => c.name === 'complaints.sid')!;
        expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

        // Sign out: the provider asks to confirm (RP-initiated logout), then sends us back.
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL((url) => url.href.startsWith(service.identityProviderUrl!));
        await page.getByRole('button', { name: /sign me out/i }).click();
        await page.waitForURL(`${service.apiUrl}/auth/signed-out`);
        const old = await fetch(`${service.apiUrl}/api/v1/me`, { headers: { cookie: `complaints.sid=${session.value}` } });
        expect(old.status).toBe(401);
      } finally {
        await context.close();
      }
    });
  }
});
