import { z } from 'zod';
import { severities, stages } from '../domain/complaint-schema';

/** The what-if's answer: one schema for the service's type, the API's OpenAPI and the console's client. */
const outcome = z.enum(['met', 'breached']);
export const stageComparisonSchema = z.object({
  stage: z.enum(stages),
  severity: z.enum(severities),
  clocks: z.number().describe('Stage clocks started in the period\'s cases.'),
  breachedNow: z.number(),
  breachedCandidate: z.number(),
  complianceNow: z.number().nullable(),
  complianceCandidate: z.number().nullable(),
  deadlineShiftHours: z.object({ mean: z.number().nullable(), p90: z.number().nullable() })
    .describe('Candidate deadline minus the case\'s own, in hours (to a tenth).'),
});
export const whatIfReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  cases: z.number(),
  stages: z.array(stageComparisonSchema),
  breaches: z.object({ now: z.number(), candidate: z.number() }).describe('Missed deadlines of every stage and severity, now and under the candidate.'),
  escalations: z.object({ now: z.number(), candidate: z.number(), change: z.number() })
    .describe('Cases above level 1, now and under the candidate (each breach escalates one level, at most 3).'),
  flips: z.object({
    total: z.number(),
    items: z.array(z.object({ id: z.string(), stage: z.enum(stages), now: outcome, candidate: outcome })),
  }).describe('Stage clocks whose outcome the candidate changes; the first 1,000 of them.'),
  selfCheck: z.object({
    agreeing: z.number(),
    disagreeing: z.number(),
    disagreements: z.array(z.object({ id: z.string(), recorded: z.array(z.string()), replayed: z.array(z.string()) })),
    unknownPolicy: z.object({ cases: z.number(), versions: z.array(z.string()) })
      .describe('Cases whose policy version this service never ran under: neither compared nor counted above.'),
  }).describe('The identity run: each case under its own policy must give the breaches it recorded.'),
});
export type WhatIfReport = z.infer<typeof whatIfReportSchema>;
export type StageComparison = z.infer<typeof stageComparisonSchema>;
