import MongoStore from 'connect-mongo';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { MongoClient } from 'mongodb';
import { bearerTokenOf } from '../../api/auth';
import type { Actor } from '../../domain/complaint-schema';
import type { PendingSignIn } from './relying-party';

/**
 * Server-side sessions for people signed in through OpenID Connect: the browser holds only an
 * HttpOnly, SameSite=Lax cookie naming a session stored in MongoDB (`sessions`), which ends
 * after `idleMinutes` without a request, after `absoluteHours` whatever happens, or at
 * sign-out. The session's principal is exactly the `Principal` bearer tokens give (csrf-sync
 * keeps the session's CSRF token in it as `csrfToken`).
 */
declare module 'express-session' {
  interface SessionData {
    principal?: Actor;
    name?: string;
    idToken?: string;
    signedInAt?: number;
    pendingSignIn?: PendingSignIn;
  }
}

export interface SessionSettings {
  secret: string;
  idleMinutes: number;
  absoluteHours: number;
  /** `Secure` cookies: on unless the service is reached over plain HTTP on localhost. */
  secureCookie: boolean;
}

export const sessionCookieName = 'complaints.sid';

export function sessionMiddleware(client: MongoClient, settings: SessionSettings): RequestHandler[] {
  const idleSeconds = settings.idleMinutes * 60;
  const store = MongoStore.create({
    client,
    collectionName: 'sessions',
    // Swept every few minutes rather than by a TTL index: FerretDB and MongoDB alike.
    autoRemove: 'interval',
    autoRemoveInterval: 5,
    // Renew the stored expiry at most every quarter of the idle time (not on every request).
    touchAfter: Math.max(1, Math.min(60, Math.floor(idleSeconds / 4))),
  });
  const sessions = session({
    name: sessionCookieName,
    secret: settings.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: settings.secureCookie,
    cookie: { httpOnly: true, sameSite: 'lax', secure: settings.secureCookie, maxAge: idleSeconds * 1000, path: '/' },
  });
  return [sessions, absoluteExpiry(settings.absoluteHours * 3_600_000)].map(exceptBearerApiCalls);
}

/**
 * An API call that brings a bearer token is authenticated by it alone (api/auth.ts): no
 * session is looked up, created or renewed for it (≈ 4 % of the API's CPU on a list request).
 */
function exceptBearerApiCalls(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (req.originalUrl.startsWith('/api/') && bearerTokenOf(req) ? next() : handler(req, res, next));
}

/** A session older than its absolute lifetime ends, however active it was. */
function absoluteExpiry(lifetimeMs: number): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const signedInAt = req.session?.signedInAt;
    if (signedInAt === undefined || Date.now() - signedInAt <= lifetimeMs) return next();
    req.session.destroy(() => next());
  };
}

/** Starts a new session for a person who just signed in (a new id: no session fixation). */
export function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
}

export function destroy(req: Request): Promise<void> {
  return new Promise((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve()));
}

export function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
}
