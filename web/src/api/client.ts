import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import type { Me, Problem } from './types';

/**
 * The one typed client of both apps, generated from the API's OpenAPI document (schema.d.ts).
 * It sends the session cookie (same origin), and on every unsafe request the session's CSRF
 * token (`X-CSRF-Token`, from `GET /api/v1/me`); every POST carries an `Idempotency-Key`, the
 * caller's (one per user submission, see useSubmission) or a fresh one.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
let csrfToken: Promise<string | undefined> | undefined;

/** Remembers the CSRF token of the signed-in session (useMe calls it with /me's answer). */
export function rememberCsrfToken(token: string | undefined): void {
  csrfToken = Promise.resolve(token);
}

async function currentCsrfToken(): Promise<string | undefined> {
  csrfToken ??= api.GET('/api/v1/me').then(({ data }) => data?.csrfToken, () => undefined);
  return csrfToken;
}

/** Where the sign-in goes, and comes back to this page (path and query: never personal data). */
export function signInUrl(location: Pick<Location, 'pathname' | 'search'> = window.location): string {
  return `/auth/login?returnTo=${encodeURIComponent(`${location.pathname}${location.search}`)}`;
}

export const sessionMiddleware: Middleware = {
  async onRequest({ request }) {
    if (safeMethods.has(request.method)) return request;
    const token = await currentCsrfToken();
    if (token) request.headers.set('X-CSRF-Token', token);
    if (request.method === 'POST' && !request.headers.has('Idempotency-Key')) request.headers.set('Idempotency-Key', crypto.randomUUID());
    return request;
  },
  onResponse({ response, schemaPath }) {
    // Not signed in (or the session ended): sign in, then come back here.
    if (response.status === 401 && schemaPath === '/api/v1/me') window.location.assign(signInUrl());
    return response;
  },
};
api.use(sessionMiddleware);

/** An answer that was not a success: the problem+json body, or what the network said. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiProblem';
  }

  /** The message of each field the server refused, by its path (`contact.phone`, `evidence.1`). */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) errors[e.path] ??= e.message;
    return errors;
  }

  /** Whether the same request may succeed when sent again (the network, a 5xx, 429). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** The data of an openapi-fetch answer, or an ApiProblem thrown. */
export async function ok<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof pending>;
  try {
    result = await pending;
  } catch (err) {
    throw new ApiProblem(0, { title: 'Network error', detail: (err as Error).message });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const problem = (typeof error === 'object' && error !== null ? error : { detail: String(error ?? response.statusText) }) as Partial<Problem>;
  throw new ApiProblem(response.status, problem);
}

/** The signed-in person (401 sends the browser to sign in). */
export async function fetchMe(): Promise<Me> {
  const me = await ok(api.GET('/api/v1/me'));
  rememberCsrfToken(me.csrfToken);
  return me;
}
