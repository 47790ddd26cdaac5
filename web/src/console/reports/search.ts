import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** The reports page's view and period, in the URL: `?view=monthly&month=2026-12`. */
export const reportsSearchSchema = z.object({
  view: z.enum(['summary', 'monthly']).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined),
});
export type ReportsSearch = z.infer<typeof reportsSearchSchema>;

/** This month as YYYY-MM (the browser's calendar). */
export const thisMonth = () => new Date().toISOString().slice(0, 7);
