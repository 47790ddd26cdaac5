import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { actorSchema, type Actor, type Role } from '../domain/complaint-schema';
import { principalFromClaims, type ClaimNames } from '../domain/principal-claims';
import { HttpProblem } from './problem';

/** Who is calling, from the bearer token's claims (api-v1.md, Auth). */
export const principalSchema = actorSchema;
export type Principal = Actor;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** How the principal was established: a bearer token, or a signed-in person's session. */
    authenticatedBy?: 'bearer' | 'session';
  }
}

const secretKey = (secret: string) => new TextEncoder().encode(secret);

/** What a token must carry beyond a valid HS256 signature (AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE). */
export interface TokenRules {
  issuer?: string;
  audience?: string;
}

/** Clocks of the token issuer and this service may differ by this much (`exp`, `nbf`). */
export const clockSkewSeconds = 30;

/**
 * The identity provider's own access tokens (RS256/ES256, e.g. a shop back-end's
 * client-credentials token), verified through its JWKS with issuer and audience checks.
 */
export interface ProviderTokens {
  /** Undefined until sign-in is connected to its provider: no such token is accepted before. */
  issuer: () => string | undefined;
  audience: string;
  jwksUri: () => Promise<URL>;
  claimNames: ClaimNames;
}

export interface AuthenticationOptions {
  provider?: ProviderTokens;
  /** With sessions: a signed-in person's principal, and the CSRF check of their unsafe requests. */
  session?: { csrf: RequestHandler };
}

const providerAlgorithms = ['RS256', 'ES256', 'PS256', 'EdDSA'];

/** The bearer token a request brings, if any: then it alone authenticates the request. */
export function bearerTokenOf(req: Request): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

export function authenticate(secret: string, rules: TokenRules = {}, options: AuthenticationOptions = {}): RequestHandler {
  // Imported once: jose would import raw key bytes again on every request (half its cost).
  const key = crypto.subtle.importKey('raw', secretKey(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  let providerKeys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const { provider } = options;
  // A token without `exp` would be valid for ever: it is refused like an expired one.
  const common = { requiredClaims: ['exp'], clockTolerance: clockSkewSeconds };

  const verify = async (token: string): Promise<Principal> => {
    const { alg } = decodeProtectedHeader(token);
    const issuer = provider?.issuer();
    if (provider && issuer && alg && providerAlgorithms.includes(alg)) {
      providerKeys ??= provider.jwksUri().then((uri) => createRemoteJWKSet(uri)).catch((err: unknown) => {
        providerKeys = undefined;
        throw err;
      });
      const { payload } = await jwtVerify(token, await providerKeys, {
        ...common, algorithms: providerAlgorithms, issuer, audience: provider.audience,
      });
      const found = principalFromClaims(payload as Record<string, unknown>, provider.claimNames);
      if (!found.ok) throw new Error(found.reason);
      return found.principal;
    }
    const { payload } = await jwtVerify(token, await key, {
      ...common,
      algorithms: ['HS256'],
      ...(rules.issuer ? { issuer: rules.issuer } : {}),
      ...(rules.audience ? { audience: rules.audience } : {}),
    });
    return ownTokenPrincipal(payload);
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    const bearer = bearerTokenOf(req);
    if (bearer) {
      try {
        req.principal = await verify(bearer);
        req.authenticatedBy = 'bearer';
        return next();
      } catch {
        return next(new HttpProblem(401, 'Unauthorized', 'The bearer token is invalid or expired.'));
      }
    }
    const signedIn = options.session && req.session?.principal;
    if (signedIn) {
      req.principal = signedIn;
      req.authenticatedBy = 'session';
      return options.session!.csrf(req, res, next);
    }
    next(new HttpProblem(401, 'Unauthorized', options.session ? 'Sign in (/auth/login), or send a bearer token.' : 'A bearer token is required.'));
  };
}

function ownTokenPrincipal(payload: JWTPayload): Principal {
  const principal = principalSchema.safeParse(payload);
  if (!principal.success) throw new Error('claims');
  if (principal.data.role === 'department' && !principal.data.department) throw new Error('department claim');
  return principal.data;
}

/** Only these roles may call the route (403 otherwise). */
export function allow(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (!role) return next(new HttpProblem(401, 'Unauthorized', 'A bearer token is required.'));
    if (!allowed.includes(role)) {
      return next(new HttpProblem(403, 'Forbidden', `The ${role} role may not do this.`));
    }
    next();
  };
}

export const actorOf = (p: Principal): string => `${p.role}:${p.sub}`;

/** Mints a token (with `iss` and `aud` when the rules name them); for scripts/token.ts, tests and benchmarks. */
export function signToken(secret: string, claims: Principal, expiresIn = '12h', rules: TokenRules = {}): Promise<string> {
  const token = new SignJWT({ role: claims.role, ...(claims.department ? { department: claims.department } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (rules.issuer) token.setIssuer(rules.issuer);
  if (rules.audience) token.setAudience(rules.audience);
  return token.sign(secretKey(secret));
}
