import type { PayloadCodec } from '@temporalio/common';
import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Logger } from '../runtime/logger';
import { allow } from './auth';
import { HttpProblem, sendProblem, zodProblem } from './problem';

/**
 * The remote codec endpoint for the Temporal Web UI (`POST /codec/decode`, `/codec/encode`):
 * the UI shows decrypted payloads to ops staff only. Mounted before the API's 64 KB body
 * parser with a limit of its own (a history's payloads reach 2 MB each, more in base64) and a
 * rate limit of its own; the role is checked before a byte of the body is read.
 */
export interface CodecRoutesDeps {
  codec: PayloadCodec;
  /** Largest request body, in bytes (CODEC_BODY_LIMIT_KB). */
  bodyLimitBytes: number;
  /** Requests a minute per token (CODEC_RATE_LIMIT_PER_MINUTE). */
  rateLimitPerMinute: number;
  logger: Logger;
}

const payloadsSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') })).max(1000),
});

export function codecRoutes(deps: CodecRoutesDeps): Router {
  const router = Router();
  router.use(
    allow('ops'),
    rateLimit({
      windowMs: 60_000,
      limit: deps.rateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: (req) => `codec:${req.principal!.role}:${req.principal!.sub}`,
      handler: (_req, res) => sendProblem(res, 429, 'Too Many Requests', `At most ${deps.rateLimitPerMinute} codec requests a minute per token.`),
    }),
    express.json({ limit: deps.bodyLimitBytes, type: () => true }),
  );
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, async (req, res) => {
      const parsed = payloadsSchema.safeParse(req.body);
      if (!parsed.success) throw zodProblem(parsed.error);
      const payloads = parsed.data.payloads.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        data: Buffer.from(p.data, 'base64'),
      }));
      let result;
      try {
        result = await deps.codec[direction](payloads);
      } catch (err) {
        // The reason (an unknown key id, a failed authentication tag) is for the log only.
        deps.logger.warn({ err, payloads: payloads.length }, `codec ${direction} failed`);
        throw new HttpProblem(400, 'Bad Request', `A payload could not be ${direction}d.`);
      }
      res.json({
        payloads: result.map((p) => ({
          metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          data: Buffer.from(p.data ?? []).toString('base64'),
        })),
      });
    });
  }
  return router;
}
