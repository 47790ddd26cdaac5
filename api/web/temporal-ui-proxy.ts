import type { RequestHandler } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

/** Where the embedded Temporal Web UI is served on the service's own origin. */
export const temporalUiPath = '/temporal';

/**
 * The embedded Temporal Web UI, on the service's own origin at `/temporal`, for signed-in ops
 * staff only. On this origin the UI's codec endpoint (`/codec`) is same-origin, so the UI's
 * calls carry the ops person's session cookie and its payloads are shown decrypted. Anyone
 * else is sent to sign in (no session) or refused (another role); the UI's own port stays on
 * localhost, where the codec does not answer it (no cookie, no token), so it shows ciphertext.
 */
export function temporalUiProxy(uiOrigin: string, sessions: RequestHandler[]): RequestHandler[] {
  const opsOnly: RequestHandler = (req, res, next) => {
    const principal = req.session?.principal;
    if (principal?.role === 'ops') return next();
    if (!principal) return res.redirect(302, `/auth/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
    res.status(403).type('text').set('cache-control', 'no-store').send('The Temporal Web UI is for ops staff only.');
  };
  // Mounted at temporalUiPath, so the path the UI sees is appended to the target's.
  const proxy = createProxyMiddleware({ target: `${uiOrigin}${temporalUiPath}`, changeOrigin: true, xfwd: true });
  return [...sessions, opsOnly, proxy];
}
