import { z } from 'zod';
import { erasureAnswerSchema, ErasureError, type ErasureService } from '../services/erasure';
import { actorOf } from './auth';
import { reason as opsReason } from './ops';
import { HttpProblem } from './problem';
import type { ApiBuilder } from './route';

const reason = opsReason.describe('Why (the audit log keeps it): the consumer\'s request by other means, a court order, …');
const answered = {
  status: 200,
  schema: erasureAnswerSchema,
  description: 'Erased (also when it was already), or `pending`: under way, it completes by itself',
} as const;

/**
 * Erasure of a closed or withdrawn case's personal data (issue 24, docs/personal-data.md):
 * by ops with a reason, or by the consumer who owns the case. An open case is a 409.
 */
export function erasureRoutes(api: ApiBuilder, erasure: ErasureService): void {
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ErasureError) throw new HttpProblem(err.status, err.status === 404 ? 'Not Found' : 'Conflict', err.message);
      throw err;
    }
  };

  api.add(
    {
      method: 'post', path: '/ops/complaints/{id}/erase', tag: 'ops', roles: ['ops'],
      summary: 'Erase a closed or withdrawn complaint\'s personal data everywhere (its key destroyed), with a reason',
      body: z.object({ reason }).strict(), errors: [404, 409], response: answered,
    },
    async ({ params, body, principal }) => ({
      body: await run(() => erasure.erase({ caseId: params.id!, actor: actorOf(principal), reason: body.reason, trigger: 'ops' })),
    }),
  );

  api.add(
    {
      method: 'post', path: '/complaints/{id}/erasure', tag: 'complaints', roles: ['consumer'],
      summary: 'Have my personal data in this complaint erased (once it is closed or withdrawn)',
      errors: [404, 409], response: answered,
    },
    async ({ params, principal }) => ({
      // The owner's account id is personal data too: the audit log says "consumer", not whom.
      body: await run(() => erasure.erase({ caseId: params.id!, actor: 'consumer', reason: 'the consumer\'s own request', trigger: 'consumer' }, principal.sub)),
    }),
  );
}
