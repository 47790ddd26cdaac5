import { IANAZone } from 'luxon';
import { z } from 'zod';
import { severities, stages, type Severity, type Stage } from './complaint-schema';
import { defaultPersonalDataRetention, type RetentionBySeverity } from './personal-data';
import { defaultConsumerWait, durationPattern, pausableStages, type PausableStage, type ResolvedSlaPolicy, type SlaDuration } from './deadlines';

export { deadlineAfter, durationMs, type ResolvedSlaPolicy, type SlaDuration } from './deadlines';

/**
 * The SLA policy (api-v1.md, "SLA policy file"): how long each stage may take, per severity,
 * on a working-day calendar. Parsed and validated here; the policy in force at intake is
 * resolved for the complaint's severity and copied into its workflow, so a later change of
 * the file never moves the deadlines of open cases.
 */
export const slaDurationSchema: z.ZodType<SlaDuration> = z.union([
  z.string().regex(durationPattern, 'a duration such as "90s", "15m", "24h" or "7d"'),
  z.object({ businessDays: z.number().int().min(0).max(365) }).strict(),
]);

const isoDate = z.iso.date();
/** The IANA time zones this runtime knows (and luxon with it), UTC included. */
const timeZones = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].filter((tz) => IANAZone.isValidZone(tz)) as [string, ...string[]];
const stageDurations = z.object(Object.fromEntries(stages.map((s) => [s, slaDurationSchema])) as Record<Stage, typeof slaDurationSchema>);
/** Besides the stages, per severity: the consumer's reply time, the reopen window, which clocks a question stops. */
const severityPolicy = stageDurations
  .extend({
    consumerReply: slaDurationSchema,
    reopen: slaDurationSchema,
    /** How long after the case ends its personal data is kept (domain/personal-data.ts; default 1095d). */
    retention: z.object({ personalData: slaDurationSchema }).partial().strict(),
    pauses: z.object(Object.fromEntries(pausableStages.map((s) => [s, z.boolean()])) as Record<PausableStage, z.ZodBoolean>).partial().strict(),
  })
  .partial()
  .strict();

export const slaPolicyFileSchema = z
  .object({
    version: z.string().min(1).max(64).optional(),
    // An enum, not a check in code: the OpenAPI document (the what-if's body) states every zone it takes.
    timezone: z.enum(timeZones, { message: 'an IANA time zone such as "Asia/Shanghai"' }).default('Asia/Shanghai'),
    calendar: z
      .object({
        workdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
        holidays: z.array(isoDate).default([]),
        extraWorkdays: z.array(isoDate).default([]),
      })
      .strict()
      .default({ workdays: [1, 2, 3, 4, 5], holidays: [], extraWorkdays: [] }),
    policies: z
      .object(Object.fromEntries(severities.map((s) => [s, severityPolicy])) as Record<Severity, typeof severityPolicy>)
      .partial()
      .strict()
      .default({}),
  })
  .strict();
export type SlaPolicyFile = z.infer<typeof slaPolicyFileSchema>;

/** How long each severity's personal data is kept after its case ends: the file's, else three years. */
export const personalDataRetention = (file: SlaPolicyFile): RetentionBySeverity =>
  Object.fromEntries(severities.map((s) => [s, file.policies[s]?.retention?.personalData ?? defaultPersonalDataRetention])) as RetentionBySeverity;

export class SlaPolicyError extends Error {}

/** domain.md §2–§3; complex cases get the general limits unless the file says otherwise. */
const generalDefaults: Record<Stage, SlaDuration> = {
  acknowledge: '24h',
  investigate: { businessDays: 3 },
  plan: { businessDays: 2 },
  feedback: '7d',
  // A repair is done within 48 h of the accepted plan [003 §4.2].
  repair: '48h',
  resolve: { businessDays: 7 },
  revisit: '7d',
};
export const defaultDurations: Record<Severity, Record<Stage, SlaDuration>> = {
  general: generalDefaults,
  complex: generalDefaults,
  urgent: { ...generalDefaults, acknowledge: '12h', resolve: '24h' },
};

/** Validates a parsed policy file; throws SlaPolicyError naming every problem. */
export function parseSlaPolicy(json: unknown, source = 'SLA policy'): SlaPolicyFile {
  const parsed = slaPolicyFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SlaPolicyError(`${source} is not a valid SLA policy:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Per stage: the file's value for this severity, else the default for this severity. */
export function resolveSlaPolicy(file: SlaPolicyFile, severity: Severity, version: string): ResolvedSlaPolicy {
  const overrides = file.policies[severity] ?? {};
  return {
    version: file.version ?? version,
    severity,
    calendar: { timezone: file.timezone, ...file.calendar },
    durations: Object.fromEntries(
      stages.map((stage) => [stage, overrides[stage] ?? defaultDurations[severity][stage]]),
    ) as Record<Stage, SlaDuration>,
    consumerReply: overrides.consumerReply ?? defaultConsumerWait.consumerReply,
    reopen: overrides.reopen ?? defaultConsumerWait.reopen,
    pauses: { ...defaultConsumerWait.pauses, ...overrides.pauses },
  };
}
