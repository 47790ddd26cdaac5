import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { Category, Department, MonthlyReport, QuarterlyReport, SummaryReport } from '../../api/types';

/** A report's period: a date range (summary) or a month (monthly report). */
export type Period = { kind: 'range'; from?: string; to?: string } | { kind: 'month'; month: string };
export type Scope = { category?: Category; department?: Department };

/** The summary (or the monthly report) for a period and an optional category or department. */
export function useReport(period: Period, scope: Scope = {}) {
  return useQuery<SummaryReport & Partial<MonthlyReport>>({
    queryKey: ['report', period, scope],
    queryFn: () =>
      period.kind === 'month'
        ? (ok(api.GET('/api/v1/reports/monthly', { params: { query: { month: period.month, ...scope } } })) as Promise<MonthlyReport>)
        : ok(api.GET('/api/v1/reports/summary', { params: { query: { ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}), ...scope } } })),
    staleTime: 60_000,
  });
}

/** The quarterly report: the quarter's figures and its three months' reports. */
export function useQuarterlyReport(quarter: string) {
  return useQuery<QuarterlyReport>({
    queryKey: ['report', { kind: 'quarter', quarter }],
    // Without `format` the answer is the JSON (the document also lists the CSV and HTML alternatives).
    queryFn: () => ok(api.GET('/api/v1/reports/quarterly', { params: { query: { quarter } } })) as Promise<QuarterlyReport>,
    staleTime: 60_000,
  });
}
