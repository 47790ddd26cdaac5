import { z } from 'zod';
import { reportStages } from '../domain/report-facts';

/**
 * The reports' answers (services/reports.ts), one schema each: the API's response schemas and
 * the OpenAPI document come from here, and the service's types are inferred from them.
 */
const distribution = z.object({ mean: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable() });
const stageReportSchema = z.object({
  met: z.number(), breached: z.number(),
  /** Stages still running. A terminated case's unfinished stage (outcome `ended`) is in none of the three. */
  open: z.number(),
  complianceRate: z.number().nullable(),
  hours: distribution, workingHours: distribution,
  target: z.object({ value: z.number(), unit: z.enum(['hours', 'workingHours']) }).nullable(),
  /** p90 (in the target's unit) divided by the target: above 1, most cases miss it. */
  p90ToTarget: z.number().nullable(),
});
const counts = z.record(z.string(), z.number());
const scores = ['1', '2', '3', '4', '5'] as const;

export const summaryShape = z.object({
  totals: z.object({ cases: z.number(), byStatus: counts, byCategory: counts, bySeverity: counts, byChannel: counts, byDepartment: counts }),
  stages: z.object(Object.fromEntries(reportStages.map((s) => [s, stageReportSchema])) as Record<(typeof reportStages)[number], typeof stageReportSchema>),
  satisfaction: z.object({
    responses: z.number(), meanScore: z.number().nullable(), satisfiedRate: z.number().nullable(), target: z.number(),
    meetsTarget: z.boolean().nullable(), distribution: z.object(Object.fromEntries(scores.map((s) => [s, z.number()])) as Record<(typeof scores)[number], z.ZodNumber>),
  }),
  revisit: z.object({ answered: z.number(), noAnswer: z.number(), answerRate: z.number().nullable() }),
  escalations: z.object({ escalated: z.number(), byLevel: counts }),
  reopens: z.object({
    closed: z.number(), reopened: z.number(), rate: z.number().nullable(),
    byCategory: z.record(z.string(), z.object({ closed: z.number(), reopened: z.number(), rate: z.number().nullable() })),
  }).describe('Cases reopened after closure, over the cases that closed at least once (overall and per category).'),
  remedyCost: z.object({ total: z.number(), byRemedy: z.record(z.string(), z.object({ cases: z.number(), total: z.number() })) }),
  bottleneck: z.object({ stage: z.enum(reportStages), p90ToTarget: z.number() }).nullable(),
});

const resolveTimeBuckets = z.array(z.object({ label: z.string(), from: z.number(), to: z.number().nullable(), cases: z.number() }))
  .describe('Time to resolve (calendar hours), in buckets.');
export const monthlyShape = summaryShape.extend({
  month: z.string(),
  dailyVolume: z.array(z.object({ day: z.number(), byCategory: counts })).describe('Cases received per day of the month, by category.'),
  resolveTimeBuckets,
});
// The answers carry more than these fields (the filter asked for): passed through.
export const summaryReportSchema = summaryShape.passthrough();
export const monthlyReportSchema = monthlyShape.passthrough();
export const quarterlyShape = summaryShape.extend({
  quarter: z.string(),
  dailyVolume: z.array(z.object({ date: z.iso.date(), byCategory: counts })).describe('Cases received per day of the quarter, by category.'),
  resolveTimeBuckets,
  months: z.array(monthlyReportSchema),
});
export const quarterlyReportSchema = quarterlyShape.passthrough();
