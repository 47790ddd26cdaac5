import express, { Router, type Request, type Response } from 'express';
import { principalFromClaims, type ClaimNames } from '../../domain/principal-claims';
import type { Logger } from '../../runtime/logger';
import { csrfProtection, csrfTokenFor } from './csrf';
import { noAccessPage, signedInPage, signedOutPage, signInFailedPage } from './pages';
import { SignInRejectedError, SignInUnavailableError, type RelyingParty } from './relying-party';
import { destroy, regenerate, save } from './sessions';

/**
 * The sign-in routes (docs/auth.md):
 * - `GET /auth/login?returnTo=/path` starts the authorization-code flow with PKCE (`&prompt=login`:
 *   the provider asks for credentials again, to sign in as someone else);
 * - `GET /auth/callback` finishes it: a new session for a person with a role, "no access" otherwise;
 * - `POST /auth/logout` ends the session (CSRF-protected) and the provider's, when it offers logout;
 * - `GET /auth/session` says who is signed in (until the console and portal exist);
 * - `GET /auth/signed-out` where the provider sends the browser back after logout.
 */
export interface SignInRoutesDeps {
  relyingParty: () => RelyingParty | undefined;
  claimNames: ClaimNames;
  publicOrigin: () => string;
  logger: Logger;
}

/** A sign-in started more than this long ago is not finished any more. */
const pendingLifetimeMs = 10 * 60_000;
const defaultReturnTo = '/auth/session';

export function signInRoutes(deps: SignInRoutesDeps): Router {
  const router = Router();
  // The sign-out form's redirect goes on to the provider's logout: the page's form-action allows it.
  const page = (res: Response, status: number, html: string) => {
    const provider = deps.relyingParty()?.issuerOrigin ?? '';
    res.set('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${provider}; frame-ancestors 'none'; base-uri 'none'`);
    res.status(status).type('html').set('cache-control', 'no-store').send(html);
  };

  router.get('/auth/login', async (req: Request, res: Response) => {
    const relyingParty = deps.relyingParty();
    if (!relyingParty) return page(res, 503, signInFailedPage('Sign-in is starting up; try again in a moment.'));
    try {
      const { url, pending } = await relyingParty.begin(safeReturnTo(req.query.returnTo), req.query.prompt === 'login');
      req.session.pendingSignIn = pending;
      await save(req);
      res.redirect(302, url.href);
    } catch (err) {
      deps.logger.warn({ reason: (err as Error).message }, 'sign-in could not start');
      page(res, 503, signInFailedPage(err instanceof SignInUnavailableError ? `${err.message} Try again later.` : 'Sign-in could not start; try again later.'));
    }
  });

  router.get('/auth/callback', async (req: Request, res: Response) => {
    const relyingParty = deps.relyingParty();
    const pending = req.session?.pendingSignIn;
    if (!relyingParty || !pending || Date.now() - pending.startedAt > pendingLifetimeMs) {
      return page(res, 400, signInFailedPage('This sign-in has expired or was already used. Start again.'));
    }
    // A refusal or a failure ends the sign-in in progress, never a session already signed in
    // (another site can send a browser here); the provider's refusal counts only with our state.
    if (typeof req.query.error === 'string' && req.query.state === pending.state) {
      await forgetPending(req);
      return page(res, 400, signInFailedPage(`The identity provider refused the sign-in (${req.query.error}).`));
    }
    try {
      const { claims, idToken } = await relyingParty.finish(new URL(req.originalUrl, deps.publicOrigin()), pending);
      const found = principalFromClaims(claims, deps.claimNames);
      if (!found.ok) {
        await destroy(req);
        deps.logger.info({ sub: claims.sub, reason: found.reason }, 'signed in without a role: no access');
        return page(res, 403, noAccessPage(found.reason));
      }
      await regenerate(req);
      Object.assign(req.session, {
        principal: found.principal, idToken, signedInAt: Date.now(), ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
      });
      await save(req);
      deps.logger.info({ sub: found.principal.sub, role: found.principal.role }, 'signed in');
      res.redirect(302, pending.returnTo);
    } catch (err) {
      await forgetPending(req);
      deps.logger.warn({ reason: (err as Error).message }, 'sign-in failed');
      if (err instanceof SignInUnavailableError) return page(res, 503, signInFailedPage(`${err.message} Try again later.`));
      page(res, 400, signInFailedPage(err instanceof SignInRejectedError ? 'The identity provider\'s answer was not valid. Start again.' : 'Sign-in failed. Start again.'));
    }
  });

  router.post('/auth/logout', express.urlencoded({ extended: false, limit: '4kb' }), (req, res, next) => {
    if (!req.session?.principal) return res.redirect(303, '/auth/signed-out');
    csrfProtection(deps.publicOrigin)(req, res, next);
  }, async (req: Request, res: Response) => {
    const idToken = req.session.idToken;
    await destroy(req);
    const providerLogout = await deps.relyingParty()?.logoutUrl(idToken);
    res.redirect(303, providerLogout?.href ?? '/auth/signed-out');
  });

  router.get('/auth/session', (req: Request, res: Response) => {
    const { principal, name } = req.session ?? {};
    if (!principal) return res.redirect(302, `/auth/login?returnTo=${encodeURIComponent(defaultReturnTo)}`);
    page(res, 200, signedInPage({ ...principal, ...(name ? { name } : {}) }, csrfTokenFor(req)));
  });

  router.get('/auth/signed-out', (_req, res) => page(res, 200, signedOutPage()));
  return router;
}

async function forgetPending(req: Request): Promise<void> {
  delete req.session.pendingSignIn;
  await save(req);
}

/** Only a path of this service: never another origin (an open redirect). */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : defaultReturnTo;
}
