import { z } from 'zod';
import { summaryOf, type ListedCase } from '../activities/read-model';
import { clockAt, nextDeadlineOf, slaOf } from '../domain/case-clocks';
import { seesCaseAsStored, viewFor } from '../domain/case-views';
import { complaintSchema, slaSchema, stages, type Actor } from '../domain/complaint-schema';
import { arrayText, mergedObjectText } from './json-text';

/** What a list item carries beside the case: its badge at the time of the answer. */
export const listBadgeSchema = z.object({
  sla: slaSchema.describe('The SLA badge: the case\'s most pressing clock.'),
  timeZone: z.string().describe('The time zone of the SLA calendar (IANA): show the case\'s times in it.'),
  nextDeadline: z.string().optional().describe('Due time of the open clock due first (sort=nextDeadline).'),
  nextDeadlineStage: z.enum(stages).optional(),
});
const complaintSummarySchema = complaintSchema.omit({ timeline: true }).extend(listBadgeSchema.shape);
export const listPageSchema = z.object({ items: z.array(complaintSummarySchema), nextCursor: z.string().optional() });

/**
 * A page's JSON text as the caller's role sees it, badges at `now`. Texts joined, not objects
 * serialised: an item a caller sees as stored is its stored text (decision 036).
 */
export function listPageText(viewer: Actor, page: { items: ListedCase[]; nextCursor?: string }, now: Date, timeZone: string): string {
  const items = arrayText(page.items.flatMap((item) => listItemText(viewer, item, now, timeZone) ?? []));
  return page.nextCursor === undefined ? `{"items":${items}}` : `{"items":${items},"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}

/** A list item's badge at `now`: its most pressing clock, and the open clock due first. */
export function listBadgeOf(item: ListedCase, now: Date, timeZone: string): z.infer<typeof listBadgeSchema> {
  const next = nextDeadlineOf(item.clockTimes);
  return {
    sla: slaOf(item.clockTimes.map((c) => clockAt(c, now)), now, item.status === 'awaiting_consumer'),
    timeZone,
    ...(next ? { nextDeadline: next.nextDeadline, nextDeadlineStage: next.nextDeadlineStage } : {}),
  };
}

/** A list item's JSON text as the caller's role sees it (null if they may not see it). */
export function listItemText(viewer: Actor, item: ListedCase, now: Date, timeZone: string): string | null {
  const badge = listBadgeOf(item, now, timeZone);
  // Parsing, copying and serialising the stored text again was most of a list's cost.
  if (seesCaseAsStored(viewer)) return mergedObjectText(JSON.stringify({ id: item.id }), item.snapshot, JSON.stringify(badge));
  const view = viewFor(viewer, { ...summaryOf(item), timeline: [] });
  if (!view) return null;
  const { timeline: _timeline, ...shown } = view;
  return JSON.stringify({ ...shown, ...badge } satisfies z.infer<typeof complaintSummarySchema>);
}
