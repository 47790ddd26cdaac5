import { z } from 'zod';
import { slaPolicyFileSchema } from '../domain/sla-policy';
import type { WhatIfService } from '../services/what-if';
import type { ApiBuilder } from './route';

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));
const counts = { clocks: z.number(), breachedNow: z.number(), breachedCandidate: z.number() };
const whatIfSchema = z.object({
  from: z.string(), to: z.string(), cases: z.number(),
  stages: z.array(z.object({
    stage: z.string(), severity: z.string(), ...counts,
    complianceNow: z.number().nullable(), complianceCandidate: z.number().nullable(),
    deadlineShiftHours: z.object({ mean: z.number().nullable(), p90: z.number().nullable() }),
  })),
  escalations: z.object({ now: z.number(), candidate: z.number(), change: z.number() }),
  flips: z.object({
    total: z.number(),
    items: z.array(z.object({ id: z.string(), stage: z.string(), now: z.enum(['met', 'breached']), candidate: z.enum(['met', 'breached']) })),
  }),
  selfCheck: z.object({
    agreeing: z.number(), disagreeing: z.number(),
    disagreements: z.array(z.object({ id: z.string(), recorded: z.array(z.string()), replayed: z.array(z.string()) })),
    unknownPolicy: z.object({ cases: z.number(), versions: z.array(z.string()) }),
  }),
});

/** POST /reports/what-if: a candidate SLA policy against the cases of a period (services/what-if.ts). */
export function whatIfRoute(api: ApiBuilder, whatIf: WhatIfService): void {
  api.add(
    {
      method: 'post', path: '/reports/what-if', tag: 'reports',
      summary: 'What a candidate SLA policy would have done to the cases received in a period',
      roles: ['supervisor', 'ops'],
      body: z.object({
        policy: slaPolicyFileSchema.describe('A policy in the SLA_POLICY_FILE format; each bad field is named in the 400.'),
        from: instant.describe('Cases received from this instant (inclusive)…'), to: instant.describe('…to this one (exclusive).'),
      }).strict(),
      response: {
        status: 200, schema: whatIfSchema,
        description: 'Per stage and severity: breaches and compliance now and under the candidate, the deadline shift, the cases that would flip, and the identity self-check',
      },
    },
    // A period that holds no case (`to` at or before `from` included) is an empty comparison.
    async ({ body }) => ({ body: await whatIf.compare({ candidate: body.policy, from: body.from, to: body.to }) }),
  );
}
