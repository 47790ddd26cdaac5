import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, headless, as the end-to-end tests and the screenshots use it. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

/**
 * Signs a person in as they would: the service's /auth/login, the development provider's form,
 * and back to `returnTo`. Returns the tab, now on `returnTo`.
 */
export async function signedIn(context: BrowserContext, baseUrl: string, username: string, returnTo: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === new URL(baseUrl).origin && !url.pathname.startsWith('/auth/'), { timeout: 20_000 });
  expect(new URL(page.url()).pathname).toBe(new URL(returnTo, baseUrl).pathname);
  return page;
}
