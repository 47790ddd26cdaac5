import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../runtime/logger';

/** An error that becomes an RFC 9457 problem+json answer. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers that belong to the problem, e.g. Retry-After on a 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export interface ProblemField {
  path: string;
  message: string;
}

export function sendProblem(
  res: Response,
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...extra });
}

export function zodProblem(err: ZodError, prefix: string[] = []): HttpProblem {
  const errors: ProblemField[] = err.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new HttpProblem(400, 'Bad Request', 'The request is not valid; see errors.', { errors });
}

export const notFoundRoute: RequestHandler = (req, res) =>
  sendProblem(res, 404, 'Not Found', `No route for ${req.method} ${req.path}`);

/**
 * For a path that exists: any other method is 405 with `Allow` (RFC 9110 §15.5.6). GET brings
 * HEAD (Express answers it); OPTIONS is answered with the same `Allow`.
 */
export function methodNotAllowed(methods: string[]): RequestHandler {
  const upper = methods.map((m) => m.toUpperCase());
  const allow = [...new Set([...upper, ...(upper.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].sort().join(', ');
  return (req, res) => {
    res.setHeader('allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendProblem(res, 405, 'Method Not Allowed', `${req.method} is not one of this resource's methods: ${allow}.`);
  };
}

/** Last error handler: known problems as they are, anything else as a bare 500. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpProblem) {
      res.set(err.headers);
      return sendProblem(res, err.status, err.title, err.detail, err.extra);
    }
    if (err instanceof ZodError) {
      const p = zodProblem(err);
      return sendProblem(res, p.status, p.title, p.detail, p.extra);
    }
    // body-parser's errors carry a status and a type; none of them is a server fault.
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (status === 413) return sendProblem(res, 413, 'Payload Too Large', 'The body is larger than the limit.');
    if (status === 415) return sendProblem(res, 415, 'Unsupported Media Type', 'Send application/json.');
    if (status >= 400 && status < 500) {
      return sendProblem(res, status, 'Bad Request', err.type === 'entity.parse.failed' ? 'The body is not valid JSON.' : 'The request cannot be read.');
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    // Never a stack trace or an internal message in the answer.
    return sendProblem(res, 500, 'Internal Server Error', 'The server failed to handle the request; it has been logged.');
  };
}
