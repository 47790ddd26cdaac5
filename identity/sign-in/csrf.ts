import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { HttpProblem } from '../../api/problem';

/**
 * CSRF protection of every state-changing request made with a session cookie: the request's
 * Origin (or, without one, its Referer) must be the service's own, and it must carry the
 * session's synchroniser token (`X-CSRF-Token` header, or a `csrf` form field) — csrf-sync.
 * Bearer-token requests carry no ambient credential and are not checked.
 */
const { generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => (req.headers['x-csrf-token'] as string | undefined) ?? (req.body as { csrf?: string } | undefined)?.csrf,
});

export const csrfTokenFor = (req: Request): string => generateToken(req);

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfProtection(publicOrigin: () => string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (safeMethods.has(req.method)) return next();
    const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
    if (origin !== undefined && origin !== publicOrigin()) {
      return next(new HttpProblem(403, 'Forbidden', 'A request with a session must come from the platform\'s own pages (Origin).'));
    }
    if (!isRequestValid(req)) {
      return next(new HttpProblem(403, 'Forbidden', 'The CSRF token is missing or wrong: send X-CSRF-Token from GET /api/v1/me.'));
    }
    next();
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}

/**
 * The codec endpoint's check of a session request: it must come from the service's own origin
 * (the Temporal Web UI served at /temporal), which cannot send the synchroniser token; a page of
 * another origin cannot make it, and a decode changes nothing.
 */
export function sameOriginOnly(publicOrigin: () => string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (safeMethods.has(req.method) || req.headers.origin === publicOrigin()) return next();
    next(new HttpProblem(403, 'Forbidden', 'A request with a session must come from the platform\'s own pages (Origin).'));
  };
}
