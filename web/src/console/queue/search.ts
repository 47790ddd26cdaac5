import { z } from 'zod';
import { categories, departments, severities, statuses, type ListQuery } from '../../api/types';

/**
 * The queue's filters and view, in the URL (`/console/queue?atRisk=true&category=quality`):
 * shareable, bookmarkable, never personal data. A value the schema does not know is dropped.
 */
const flag = z.boolean().optional().catch(undefined);
export const queueSearchSchema = z.object({
  status: z.enum(statuses).optional().catch(undefined),
  category: z.enum(categories).optional().catch(undefined),
  severity: z.enum(severities).optional().catch(undefined),
  department: z.enum(departments).optional().catch(undefined),
  breached: flag,
  escalated: flag,
  atRisk: flag,
  awaitingFindings: flag,
  sort: z.enum(['nextDeadline', 'newest']).optional().catch(undefined),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,300}$/).optional().catch(undefined),
});
export type QueueSearch = z.infer<typeof queueSearchSchema>;

export const pageSize = 25;

const bool = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'true' : 'false');

/** The list query of a queue view (soonest deadline first unless the view says newest). */
export function listQueryOf(search: QueueSearch, limit = pageSize): ListQuery {
  const query: ListQuery = { sort: search.sort ?? 'nextDeadline', limit };
  if (search.status) query.status = search.status;
  if (search.category) query.category = search.category;
  if (search.severity) query.severity = search.severity;
  if (search.department) query.department = search.department;
  const breached = bool(search.breached);
  if (breached) query.breached = breached;
  const escalated = bool(search.escalated);
  if (escalated) query.escalated = escalated;
  if (search.atRisk) query.atRisk = 'true';
  const awaiting = bool(search.awaitingFindings);
  if (awaiting) query.awaitingFindings = awaiting;
  if (search.cursor) query.cursor = search.cursor;
  return query;
}

/** The named views: links with preset search params. */
export const savedViews = [
  { key: 'all', search: {} },
  { key: 'atRisk', search: { atRisk: true } },
  { key: 'breached', search: { breached: true } },
  { key: 'escalated', search: { escalated: true } },
  { key: 'awaitingFindings', search: { awaitingFindings: true } },
  { key: 'newest', search: { sort: 'newest' } },
] as const satisfies ReadonlyArray<{ key: string; search: QueueSearch }>;

/** Whether the URL's search is exactly this view. */
export const isView = (search: QueueSearch, view: QueueSearch) => {
  const clean = (s: QueueSearch) => JSON.stringify(Object.entries(s).filter(([k, v]) => v !== undefined && k !== 'cursor').sort());
  return clean(search) === clean(view);
};
