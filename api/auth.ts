import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { actorSchema, type Actor, type Role } from '../domain/complaint-schema';
import { HttpProblem } from './problem';

/** Who is calling, from the bearer token's claims (api-v1.md, Auth). */
export const principalSchema = actorSchema;
export type Principal = Actor;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
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

export function authenticate(secret: string, rules: TokenRules = {}): RequestHandler {
  // Imported once: jose would import raw key bytes again on every request (half its cost).
  const key = crypto.subtle.importKey('raw', secretKey(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match?.[1]) return next(new HttpProblem(401, 'Unauthorized', 'A bearer token is required.'));
    try {
      // A token without `exp` would be valid for ever: it is refused like an expired one.
      const { payload } = await jwtVerify(match[1], await key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
        clockTolerance: clockSkewSeconds,
        ...(rules.issuer ? { issuer: rules.issuer } : {}),
        ...(rules.audience ? { audience: rules.audience } : {}),
      });
      const principal = principalSchema.safeParse(payload);
      if (!principal.success) throw new Error('claims');
      if (principal.data.role === 'department' && !principal.data.department) throw new Error('department claim');
      req.principal = principal.data;
      next();
    } catch {
      next(new HttpProblem(401, 'Unauthorized', 'The bearer token is invalid or expired.'));
    }
  };
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
