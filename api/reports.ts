import { z } from 'zod';
import { categories, departments } from '../domain/complaint-schema';
import type { ReportService } from '../services/reports';
import { monthlyReportSchema, quarterlyReportSchema, summaryReportSchema } from '../services/report-schemas';
import { monthlyCsv, renderMonthlyReport } from './report-pages/monthly';
import { quarterlyCsv, renderQuarterlyReport } from './report-pages/quarterly';
import type { ApiBuilder } from './route';

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
        schema: quarterlyReportSchema,
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
