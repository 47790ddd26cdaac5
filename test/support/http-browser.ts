/**
 * A browser over plain fetch, for sign-in tests: it keeps cookies (as a browser does: per
 * host and path, the port not counted) and follows redirects by hand, so a test sees each hop.
 */
/** What a browser keeps of the provider's cookies: name=value per path, until they expire. */
export class CookieJar {
  private cookies = new Map<string, { value: string; path: string }>();

  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const [name = '', value = ''] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
      const path = attr('path') ?? '/';
      const expired = attr('max-age') === '0' || (attr('expires') && Date.parse(attr('expires')!) <= Date.now()) || value === '';
      if (expired) this.cookies.delete(`${path} ${name}`);
      else this.cookies.set(`${path} ${name}`, { value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([key, c]) => `${key.slice(key.indexOf(' ') + 1)}=${c.value}`)
      .join('; ');
  }
}

/** One browser: requests with its cookies, no automatic redirects. */
export function browser() {
  const jar = new CookieJar();
  const request = async (url: string | URL, init: RequestInit = {}) => {
    const target = new URL(url);
    const response = await fetch(target, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: jar.header(target) } });
    jar.store(response);
    return response;
  };
  /** Follows redirects from `url` until one leaves the provider (or a page answers). */
  const follow = async (url: string | URL, init?: RequestInit, issuer?: string): Promise<{ response: Response; url: string }> => {
    let response = await request(url, init);
    let current = new URL(url).href;
    while (response.status >= 300 && response.status < 400) {
      current = new URL(response.headers.get('location')!, current).href;
      if (issuer && !current.startsWith(issuer)) return { response, url: current };
      response = await request(current);
    }
    return { response, url: current };
  };
  return { request, follow, jar };
}

export const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

