import { DateTime } from 'luxon';
import { z } from 'zod';
import { slaPolicyFileSchema } from '../domain/sla-policy';
import type { SlaPolicySource } from '../runtime/sla-policy-file';
import type { WhatIfService } from '../services/what-if';
import { whatIfReportSchema as whatIfSchema } from '../services/what-if-report';
import type { ApiBuilder } from './route';

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
/** A date alone is that day's start in the policy's time zone (the zone the cases' months and days are counted in). */
const instantIn = (timezone: string) => (value: string) => {
  const local = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: timezone }) : undefined;
  return local?.isValid ? local.toJSDate() : new Date(value);
};
/** POST /reports/what-if: a candidate SLA policy against the cases of a period (services/what-if.ts). */
export function whatIfRoute(api: ApiBuilder, whatIf: WhatIfService, slaPolicy: Pick<SlaPolicySource, 'version' | 'file'>): void {
  api.add(
    {
      method: 'get', path: '/sla-policy', tag: 'reports',
      summary: 'The SLA policy in force: the starting point of a what-if',
      roles: ['supervisor', 'ops'],
      response: {
        status: 200, description: 'Its version and the policy file as the service read it (defaults filled in)',
        schema: z.object({ version: z.string(), policy: slaPolicyFileSchema }),
      },
    },
    async () => ({ body: { version: slaPolicy.version, policy: slaPolicy.file } }),
  );

  api.add(
    {
      method: 'post', path: '/reports/what-if', tag: 'reports',
      summary: 'What a candidate SLA policy would have done to the cases received in a period',
      roles: ['supervisor', 'ops'],
      body: z.object({
        policy: slaPolicyFileSchema.describe('A policy in the SLA_POLICY_FILE format; each bad field is named in the 400.'),
        from: instant.describe('Cases received from this instant (inclusive; a date alone: its start in the policy\'s time zone)…'),
        to: instant.describe('…to this one (exclusive).'),
      }).strict(),
      response: {
        status: 200, schema: whatIfSchema,
        description: 'Per stage and severity: breaches and compliance now and under the candidate, the deadline shift, the cases that would flip, and the identity self-check',
      },
    },
    // A period that holds no case (`to` at or before `from` included) is an empty comparison.
    async ({ body }) => {
      const at = instantIn(slaPolicy.file.timezone);
      return { body: await whatIf.compare({ candidate: body.policy, from: at(body.from), to: at(body.to) }) };
    },
  );
}
