import { z } from 'zod';
import { keptCharacter } from '../domain/complaint-schema';
import { actorOf } from './auth';
import { HttpProblem } from './problem';
import type { ApiBuilder } from './route';
import { OpsError, type OpsService } from '../services/ops';

/** The ops endpoints (api-v1.md, plus describe, retry, terminate and batch reset). */
const resetPoint = z.union([z.enum(['last-workflow-task', 'first-workflow-task']), z.number().int().positive()]);
/**
 * A reason: at least 3 characters once trimmed. Said as a pattern (a character `trim` keeps,
 * anything, another such character), so the document states what the check does; the class
 * spells out ECMAScript's white space, which Python's `\s` (the fuzzer's) does not match exactly.
 * JSON Schema counts code points, a plain RegExp UTF-16 units (a surrogate pair is two): the
 * refinement checks the pattern as the document means it (the `u` flag; zod-to-openapi would
 * write a flagged pattern into the document as `…/u`).
 */
const atLeastThree = `${keptCharacter}[\\s\\S]+${keptCharacter}`;
const atLeastThreeUnits = new RegExp(atLeastThree);
const atLeastThreeCodePoints = new RegExp(atLeastThree, 'u');
export const reason = z.string().trim().regex(atLeastThreeUnits, 'at least 3 characters')
  .refine((text) => !atLeastThreeUnits.test(text) || atLeastThreeCodePoints.test(text), 'at least 3 characters')
  .max(1000);

const stuckCaseSchema = z.object({
  id: z.string(), workflowId: z.string(), runId: z.string().optional(), status: z.string().optional(),
  reason: z.enum(['activity_failing', 'workflow_task_failing', 'overdue_idle', 'unreadable']), detail: z.string(),
  attempts: z.number().int().optional(), lastFailure: z.string().optional(), nextAttemptAt: z.string().optional(),
  suggestedAction: z.string(),
});
const replayResultSchema = z.object({
  id: z.string(), workflowId: z.string(), runId: z.string(), result: z.enum(['ok', 'nondeterminism', 'error', 'erased']), error: z.string().optional(),
});

export function opsRoutes(api: ApiBuilder, ops: OpsService): void {
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof OpsError) {
        const titles = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 503: 'Service Unavailable' } as const;
        throw new HttpProblem(err.status, titles[err.status], err.message, {}, err.status === 503 ? { 'retry-after': '5' } : {});
      }
      throw err;
    }
  };

  api.add(
    {
      method: 'get', path: '/ops/stuck', tag: 'ops', summary: 'Running complaints that are not progressing, with why and what to do', roles: ['ops'],
      query: z.object({ minAttempts: z.coerce.number().int().min(1).max(100).default(3), limit: z.coerce.number().int().min(1).max(10_000).default(2000) }).strict(),
      response: { status: 200, description: 'Stuck cases', schema: z.object({ items: z.array(stuckCaseSchema) }) },
    },
    async ({ query }) => ({ body: { items: await run(() => ops.stuck(query)) } }),
  );

  api.add(
    {
      method: 'get', path: '/ops/complaints/{id}', tag: 'ops', summary: 'A complaint\'s workflow: run, pending work, problems, audit', roles: ['ops'],
      errors: [404, 409], response: { status: 200, description: 'The description', schema: z.object({ id: z.string(), workflowStatus: z.string() }).passthrough() },
    },
    async ({ params }) => ({ body: await run(() => ops.describe(params.id!)) }),
  );

  api.add(
    {
      method: 'post', path: '/ops/complaints/{id}/retry', tag: 'ops', summary: 'Run the failing activities again now', roles: ['ops'],
      body: z.object({ reason: reason.optional() }).strict(), errors: [404, 409],
      response: { status: 200, description: 'The activities retried', schema: z.object({ retried: z.array(z.string()) }) },
    },
    async ({ params, body, principal }) => ({ body: await run(() => ops.retry(params.id!, actorOf(principal), body.reason)) }),
  );

  api.add(
    {
      method: 'post', path: '/ops/complaints/{id}/reset', tag: 'ops', summary: 'Reset the workflow to a workflow task; later updates are applied again',
      roles: ['ops'], body: z.object({ to: resetPoint, reason }).strict(), errors: [404, 409],
      response: { status: 200, description: 'The new run', schema: z.object({ runId: z.string(), eventId: z.number().int() }) },
    },
    async ({ params, body, principal }) => ({ body: await run(() => ops.reset(params.id!, body.to, body.reason, actorOf(principal))) }),
  );

  api.add(
    {
      method: 'post', path: '/ops/reset-batch', tag: 'ops', summary: 'Reset every running complaint a visibility query finds (dry run by default)',
      roles: ['ops'], body: z.object({ query: z.string().min(1).max(2000), to: resetPoint, reason, dryRun: z.boolean().default(true) }).strict(),
      response: { status: 200, description: 'What matched, and what was reset', schema: z.object({ dryRun: z.boolean(), matched: z.array(z.string()) }).passthrough() },
    },
    async ({ body, principal }) => ({ body: await run(() => ops.batchReset(body.query, body.to, body.reason, actorOf(principal), body.dryRun)) }),
  );

  api.add(
    {
      method: 'post', path: '/ops/complaints/{id}/terminate', tag: 'ops', summary: 'Terminate the workflow, with a reason', roles: ['ops'],
      body: z.object({ reason }).strict(), errors: [404],
      response: { status: 204, description: 'Terminated' },
    },
    async ({ params, body, principal }) => {
      await run(() => ops.terminate(params.id!, body.reason, actorOf(principal)));
      return { status: 204 };
    },
  );

  api.add(
    {
      method: 'post', path: '/ops/replay', tag: 'ops', summary: 'Replay recent or chosen histories against the current workflow code', roles: ['ops'],
      body: z.object({ ids: z.array(z.string().max(100)).max(500).optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
      response: { status: 200, description: 'Per history: ok, or the non-determinism found', schema: z.object({ results: z.array(replayResultSchema) }) },
    },
    async ({ body }) => ({ body: { results: await run(() => ops.replay(body)) } }),
  );
}
