import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** The reports page's view and period, in the URL: `?view=monthly&month=2026-12`, `?view=quarterly&quarter=2026-Q4`. */
export const reportsSearchSchema = z.object({
  view: z.enum(['summary', 'monthly', 'quarterly', 'what-if']).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined),
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/).optional().catch(undefined),
});
export type ReportsSearch = z.infer<typeof reportsSearchSchema>;
export type ReportsView = NonNullable<ReportsSearch['view']>;

/** This month as YYYY-MM (the browser's calendar). */
export const thisMonth = () => new Date().toISOString().slice(0, 7);

/** The quarter of a date as YYYY-Qn (read in UTC, as thisMonth). */
export const quarterOf = (date: Date) => `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
export const thisQuarter = () => quarterOf(new Date());

/** The last `n` quarters, this one first: the choices of the quarter picker. */
export function recentQuarters(n = 8, now = new Date()): string[] {
  const first = Math.floor(now.getUTCMonth() / 3) * 3;
  return Array.from({ length: n }, (_, i) => quarterOf(new Date(Date.UTC(now.getUTCFullYear(), first - 3 * i, 1))));
}

/**
 * The previous full calendar quarter as dates, `to` excluded (the API's period): a what-if
 * looks back at cases whose clocks have mostly run out.
 */
export function previousQuarter(now = new Date()): { from: string; to: string } {
  const first = Math.floor(now.getUTCMonth() / 3) * 3;
  const date = (month: number) => new Date(Date.UTC(now.getUTCFullYear(), month, 1)).toISOString().slice(0, 10);
  return { from: date(first - 3), to: date(first) };
}
