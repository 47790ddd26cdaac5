import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium, signedIn } from './chromium';

/** How the screens are looked at unless a test says otherwise: English, a Berlin clock, a laptop screen. */
const lookedAtFrom: BrowserContextOptions = { locale: 'en-GB', timezoneId: 'Europe/Berlin', viewport: { width: 1360, height: 900 } };

/**
 * One headless Chromium for a test file, and the people using it: each signed in, in a
 * browser context of their own (their own cookies, language, clock).
 */
export class People {
  private constructor(
    private readonly chrome: Browser,
    private readonly baseUrl: () => string,
  ) {}

  private readonly contexts: Array<{ close(): Promise<void> }> = [];

  /** `baseUrl`: the service's address, read when someone signs in. */
  static async start(baseUrl: () => string): Promise<People> {
    return new People(await launchChromium(), baseUrl);
  }

  /** `username` signed in (the development provider's users), on `returnTo`. */
  async person(username: string, returnTo: string, options: BrowserContextOptions = lookedAtFrom): Promise<Page> {
    const context = await this.chrome.newContext(options);
    this.contexts.push(context);
    return signedIn(context, this.baseUrl(), username, returnTo);
  }

  async stop(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.chrome.close();
  }
}

/** With SCREENSHOTS_DIR set (docs/screenshots), saves the page there as `<name>.png`, from the top, nothing focused. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  await page.evaluate('document.activeElement?.blur(); window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
