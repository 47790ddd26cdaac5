import { z } from 'zod';
import { categories, departments } from '../domain/complaint-schema';
import type { ReportService } from '../services/reports';
import { monthlyCsv, renderMonthlyReport } from './report-pages/monthly';
import { quarterlyCsv, renderQuarterlyReport } from './report-pages/quarterly';
import type { ApiBuilder } from './route';

const distribution = z.object({ mean: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable() });
const stageReport = z.object({
  met: z.number(), breached: z.number(), open: z.number(), complianceRate: z.number().nullable(),
  hours: distribution, workingHours: distribution,
  target: z.object({ value: z.number(), unit: z.enum(['hours', 'workingHours']) }).nullable(), p90ToTarget: z.number().nullable(),
});
const counts = z.record(z.string(), z.number());
export const summaryReportSchema = z.object({
  totals: z.object({ cases: z.number(), byStatus: counts, byCategory: counts, bySeverity: counts, byChannel: counts, byDepartment: counts }),
  stages: z.object({ acknowledge: stageReport, investigate: stageReport, plan: stageReport, resolve: stageReport, revisit: stageReport }),
  satisfaction: z.object({
    responses: z.number(), meanScore: z.number().nullable(), satisfiedRate: z.number().nullable(), target: z.number(),
    meetsTarget: z.boolean().nullable(), distribution: counts,
  }),
  revisit: z.object({ answered: z.number(), noAnswer: z.number(), answerRate: z.number().nullable() }),
  escalations: z.object({ escalated: z.number(), byLevel: counts }),
  reopens: z.object({
    closed: z.number(), reopened: z.number(), rate: z.number().nullable(),
    byCategory: z.record(z.string(), z.object({ closed: z.number(), reopened: z.number(), rate: z.number().nullable() })),
  }).describe('Cases reopened after closure, over the cases that closed at least once (overall and per category).'),
  remedyCost: z.object({ total: z.number(), byRemedy: z.record(z.string(), z.object({ cases: z.number(), total: z.number() })) }),
  bottleneck: z.object({ stage: z.string(), p90ToTarget: z.number() }).nullable(),
}).passthrough();

const resolveTimeBuckets = z.array(z.object({ label: z.string(), from: z.number(), to: z.number().nullable(), cases: z.number() }));
const monthlyReportSchema = summaryReportSchema.extend({
  month: z.string(),
  dailyVolume: z.array(z.object({ day: z.number(), byCategory: counts })),
  resolveTimeBuckets,
});
const day = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));
const scope = { category: z.enum(categories).optional(), department: z.enum(departments).optional() };

/** Supervisors' reports (domain.md §5). */
export function reportRoutes(api: ApiBuilder, reports: ReportService): void {
  api.add(
    {
      method: 'get', path: '/reports/summary', tag: 'reports', summary: 'SLA compliance, stage times, satisfaction and volumes for a period',
      roles: ['supervisor', 'ops'], query: z.object({ from: day.optional(), to: day.optional(), ...scope }).strict(),
      response: { status: 200, description: 'The figures (cases received from `from` inclusive to `to` exclusive)', schema: summaryReportSchema },
    },
    async ({ query }) => ({ body: await reports.summary(query) }),
  );

  api.add(
    {
      method: 'get', path: '/reports/monthly', tag: 'reports', summary: 'The monthly report for management: JSON, CSV, or a printable HTML page with charts',
      roles: ['supervisor', 'ops'],
      query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'), format: z.enum(['json', 'csv', 'html']).default('json'), ...scope }).strict(),
      response: {
        status: 200, description: 'The report', schema: monthlyReportSchema,
        alternatives: { 'text/csv': 'section,key,metric,value', 'text/html': 'a printable page with SVG charts' },
      },
    },
    async ({ query }) => {
      const { month, format, ...filter } = query;
      const report = await reports.monthly(month, filter);
      if (format === 'csv') {
        return { body: monthlyCsv(report), contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="complaints-${month}.csv"` } };
      }
      if (format === 'html') return { body: renderMonthlyReport(report), contentType: 'text/html; charset=utf-8' };
      return { body: report };
    },
  );

  api.add(
    {
      method: 'get', path: '/reports/quarterly', tag: 'reports',
      summary: 'The quarterly service report (seeds 002 §1.1): JSON, CSV, or a printable HTML page with the monthly charts and the months side by side',
      roles: ['supervisor', 'ops'],
      query: z.object({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'a quarter as YYYY-Qn, such as 2026-Q4'), format: z.enum(['json', 'csv', 'html']).default('json'), ...scope }).strict(),
      response: {
        status: 200, description: 'The quarter\'s figures, its volume per day, and each month\'s report',
        schema: summaryReportSchema.extend({
          quarter: z.string(),
          dailyVolume: z.array(z.object({ date: z.iso.date(), byCategory: counts })),
          resolveTimeBuckets,
          months: z.array(monthlyReportSchema),
        }),
        alternatives: { 'text/csv': 'period,section,key,metric,value', 'text/html': 'a printable page with SVG charts and the months side by side' },
      },
    },
    async ({ query }) => {
      const { quarter, format, ...filter } = query;
      const report = await reports.quarterly(quarter, filter);
      if (format === 'csv') {
        return { body: quarterlyCsv(report), contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="complaints-${quarter}.csv"` } };
      }
      if (format === 'html') return { body: renderQuarterlyReport(report), contentType: 'text/html; charset=utf-8' };
      return { body: report };
    },
  );
}
