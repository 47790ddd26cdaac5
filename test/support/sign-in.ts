import { expect } from 'vitest';
import { browser, form } from './http-browser';

/**
 * A person signing in to the service through its identity provider (the embedded development
 * one in tests), over plain HTTP as a browser does it: every redirect, cookie and form real.
 */
export type Browser = ReturnType<typeof browser>;

/** Starts at /auth/login, signs in at the provider's page, and ends where the service sends us. */
export async function signIn(apiUrl: string, username: string, options: { password?: string; tab?: Browser; returnTo?: string; signInAgain?: boolean } = {}) {
  const tab = options.tab ?? browser();
  const start = new URL(`/auth/login?returnTo=${encodeURIComponent(options.returnTo ?? '/api/v1/me')}${options.signInAgain ? '&prompt=login' : ''}`, apiUrl);
  const loginPage = await tab.follow(start);
  if (loginPage.response.status !== 200 || !loginPage.url.includes('/interaction/')) return { tab, ...loginPage };
  const action = /<form method="post" action="([^"]+)"/.exec(await loginPage.response.text())?.[1];
  expect(action, 'the provider shows its sign-in form').toBeDefined();
  let done = await tab.follow(new URL(action!, loginPage.url), form({ username, password: options.password ?? username }));
  // A provider page that a browser's script submits at once (oidc-provider ends the session of
  // the person signed in before, when someone else signs in): submitted as the script would.
  for (let hop = 0; hop < 3 && done.response.status === 200 && done.url.startsWith(new URL(loginPage.url).origin); hop++) {
    const html = await done.response.clone().text();
    const autoSubmit = /forms\[0\]\.submit\(\)/.test(html) && /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!autoSubmit) break;
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    done = await tab.follow(new URL(autoSubmit, done.url), form(fields));
  }
  return { tab, ...done };
}

/** The API as a signed-in person's browser calls it: session cookie, Origin, CSRF token. */
export class SessionClient {
  private csrfToken?: string;
  constructor(
    readonly apiUrl: string,
    readonly tab: Browser,
  ) {}

  static async signIn(apiUrl: string, username: string): Promise<SessionClient> {
    const { tab, response, url } = await signIn(apiUrl, username);
    expect(response.status, `signed in as ${username} (${url})`).toBe(200);
    return new SessionClient(apiUrl, tab);
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const unsafe = !['GET', 'HEAD'].includes(method);
    if (unsafe && !this.csrfToken) this.csrfToken = (await this.call('GET', '/api/v1/me')).body.csrfToken;
    const response = await this.tab.request(new URL(path, this.apiUrl), {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(unsafe ? { origin: new URL(this.apiUrl).origin, 'x-csrf-token': this.csrfToken ?? '' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // a page, not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }
}
