import type { PayloadCodec } from '@temporalio/common';
import { Router } from 'express';
import { z } from 'zod';
import { allow } from './auth';
import { HttpProblem, zodProblem } from './problem';

/**
 * The remote codec endpoint for the Temporal Web UI (`POST /codec/decode`, `/codec/encode`):
 * the UI shows decrypted payloads to ops staff only.
 */
export interface CodecRoutesDeps {
  codec: PayloadCodec;
}

const payloadsSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') })).max(1000),
});

export function codecRoutes(deps: CodecRoutesDeps): Router {
  const router = Router();
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, allow('ops'), async (req, res) => {
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
        throw new HttpProblem(400, 'Bad Request', `The payloads cannot be ${direction}d: ${(err as Error).message}`);
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
