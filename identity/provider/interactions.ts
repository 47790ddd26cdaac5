import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { DevelopmentUser } from './development-users';
import { errorPage, layout, loginPage } from './login-page';

/**
 * The provider's own sign-in pages (`interactions.url`): a username and password form for the
 * development users. A successful sign-in also grants what the application asked for, so no
 * consent screen follows: every client of this provider is the platform itself.
 */

export interface InteractionSettings {
  users: readonly DevelopmentUser[];
  byUsername: ReadonlyMap<string, DevelopmentUser>;
  roleClaim: string;
  departmentClaim: string;
  apiResource: string;
  apiScope: string;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

export function interactionRoutes(provider: Provider, settings: InteractionSettings): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use('/interaction', (_req, res, next) => {
    res.set({
      'Cache-Control': 'no-store',
      // No form-action: the sign-in form's redirects end at the application's own origin.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    next();
  });

  const render = (res: Response, status: number, details: Details, error?: string, username?: string) =>
    res.status(status).type('html').send(
      loginPage({ action: `/interaction/${details.uid}/login`, users: settings.users, client: String(details.params.client_id ?? ''), error, username }),
    );

  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') return render(res, 200, details);
      // Consent is given on behalf of the person: the platform is the only client.
      const accountId = details.session?.accountId;
      if (!accountId) return render(res, 200, details);
      await finish(req, res, details, accountId, false);
    } catch (error) {
      next(error);
    }
  });

  app.post('/interaction/:uid/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const username = typeof req.body?.username === 'string' ? req.body.username.trim() : '';
      const password = typeof req.body?.password === 'string' ? req.body.password : '';
      const user = settings.byUsername.get(username);
      if (!user || !samePassword(password, user.password)) {
        return render(res, 400, details, 'Unknown username or wrong password. Try again.', username);
      }
      await finish(req, res, details, user.username, true);
    } catch (error) {
      next(error);
    }
  });

  async function finish(req: Request, res: Response, details: Details, accountId: string, login: boolean) {
    // A fresh sign-in never reuses a grant: it may belong to whoever was signed in before.
    const existing = !login && details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grantRequested(grant, details, settings);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { ...(login ? { login: { accountId } } : {}), consent: existing ? {} : { grantId } },
      { mergeWithLastSubmission: !login },
    );
  }

  app.use(provider.callback());

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const name = error instanceof Error ? error.name : 'Error';
    if (name === 'SessionNotFound' || name === 'InvalidRequest') {
      res.status(400).type('html').send(layout('This sign-in has expired', '<p>The sign-in was not found or has expired. Start again from the application.</p>'));
      return;
    }
    res.status(500).type('html').send(errorPage({ error: 'server_error', error_description: 'The development identity provider failed; see its log.' }));
  });
  return app;
}

type Grant = InstanceType<Provider['Grant']>;

/** What the authorization request asked for: its scopes, the `claims` parameter, the API. */
function grantRequested(grant: Grant, { params, prompt }: Details, settings: InteractionSettings) {
  const scopes = typeof params.scope === 'string' ? params.scope.split(' ').filter(Boolean) : [];
  grant.addOIDCScope(scopes.filter((s) => ['openid', 'profile', 'email'].includes(s)));
  grant.addOIDCClaims(['name', settings.roleClaim, settings.departmentClaim, ...claimsParameter(params.claims)]);
  const resources = [params.resource].flat().filter((r): r is string => typeof r === 'string');
  for (const resource of resources) {
    if (resource === settings.apiResource) grant.addResourceScope(resource, scopes.filter((s) => settings.apiScope.split(' ').includes(s)));
  }
  // What the consent prompt still misses, as the provider worked it out.
  const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope);
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, s] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, s);
}

/** The claim names of an OIDC `claims` request parameter (JSON), if one was sent. */
function claimsParameter(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed = JSON.parse(value) as { id_token?: object; userinfo?: object };
    return [...Object.keys(parsed.id_token ?? {}), ...Object.keys(parsed.userinfo ?? {})];
  } catch {
    return [];
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const samePassword = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));
