import { z } from 'zod';
import { actorSchema, roles } from '../../domain/complaint-schema';
import type { ApiBuilder } from '../../api/route';
import { csrfTokenFor } from './csrf';

/**
 * `GET /api/v1/me`: who the caller is — the principal every rule is checked against, for a
 * session and a bearer token alike — and, for a session, the CSRF token its unsafe requests
 * must send as `X-CSRF-Token`.
 */
export const meSchema = actorSchema.extend({
  name: z.string().optional(),
  authenticatedBy: z.enum(['session', 'bearer']),
  csrfToken: z.string().optional().describe('Sessions only: send it as X-CSRF-Token on every POST.'),
});

export function meRoute(api: ApiBuilder): void {
  api.add(
    {
      method: 'get', path: '/me', tag: 'identity', summary: 'Who am I: the signed-in person or the token\'s principal',
      roles: [...roles], response: { status: 200, description: 'The principal', schema: meSchema },
    },
    async ({ principal, req }) => {
      const session = req.authenticatedBy === 'session';
      return {
        headers: { 'cache-control': 'no-store' },
        body: {
          ...principal,
          ...(session && req.session.name ? { name: req.session.name } : {}),
          authenticatedBy: session ? 'session' : 'bearer',
          ...(session ? { csrfToken: csrfTokenFor(req) } : {}),
        },
      };
    },
  );
}
