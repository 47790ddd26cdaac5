/**
 * Screenshots of the portal and the console in both languages, against a running service
 * (dev-service.ts): signs in through the development identity provider as each person.
 *
 *   npx tsx web/scripts/screenshots.ts [outDir=/tmp/web-shots] [base=http://127.0.0.1:3300]
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const outDir = process.argv[2] ?? '/tmp/web-shots';
const base = process.argv[3] ?? 'http://127.0.0.1:3300';
const only = process.env.SHOTS_ONLY?.split(',');

async function signedIn(browser: Browser, user: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${user}] page error: ${err.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`[${user}] console: ${m.text()}`));
  await page.goto(`${base}/auth/login?returnTo=${encodeURIComponent('/auth/session')}`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  try {
    await page.waitForURL(/\/auth\/session/, { timeout: 15_000 });
  } catch (err) {
    await page.screenshot({ path: path.join(outDir, `sign-in-failed-${user}.png`) });
    console.error(`[${user}] sign-in did not finish at ${page.url()}: ${await page.locator('body').innerText()}`);
    throw err;
  }
  return page;
}

async function shot(page: Page, url: string, name: string, wait = 1500) {
  if (only && !only.some((o) => name.includes(o))) return;
  await page.goto(`${base}${url}`);
  await page.waitForTimeout(wait);
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
  console.log(`${name}.png  ${url}  title="${await page.title()}" lang=${await page.getAttribute('html', 'lang')}`);
}

await mkdir(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  for (const [locale, tag] of [['en-GB', 'en'], ['zh-CN', 'zh']] as const) {
    const consumer = await signedIn(browser, 'consumer-1', locale);
    await shot(consumer, '/', `${tag}-portal-home`);
    await shot(consumer, '/new', `${tag}-portal-new`);
    await consumer.goto(`${base}/`);
    const firstCase = await consumer.locator('.card-title a').nth(0).getAttribute('href', { timeout: 10_000 }).catch(() => null);
    if (firstCase) await shot(consumer, firstCase, `${tag}-portal-case`);
    await shot(consumer, '/console', `${tag}-console-as-consumer`);
    await consumer.context().close();

    const agent = await signedIn(browser, 'agent-1', locale);
    await shot(agent, '/console/queue', `${tag}-console-queue`);
    const caseHref = await agent.locator('.case-link').first().getAttribute('href').catch(() => null);
    if (caseHref) await shot(agent, caseHref, `${tag}-console-case`);
    await agent.context().close();

    const supervisor = await signedIn(browser, 'supervisor-1', locale);
    await shot(supervisor, '/console/supervisor', `${tag}-console-supervisor`);
    await shot(supervisor, '/console/reports', `${tag}-console-reports`, 2500);
    await shot(supervisor, '/', `${tag}-portal-as-staff`);
    await supervisor.context().close();

    const quality = await signedIn(browser, 'quality-1', locale);
    await shot(quality, '/console/inbox', `${tag}-console-inbox`);
    await quality.context().close();

    const ops = await signedIn(browser, 'ops-1', locale);
    await shot(ops, '/console/ops', `${tag}-console-ops`, 3000);
    await ops.context().close();
  }
} finally {
  await browser.close();
}
