import { caseLimits } from './case-limits';
import type { Complaint, TimelineEvent } from './complaint-schema';

/**
 * The workflow carries only the newest part of a long timeline (`caseLimits.timelineInWorkflow`
 * entries at most, down to `slack` fewer after a trim); the older entries live in the read
 * model. `timelineStart` is the position of the first entry carried. Only entries the read
 * model already holds are dropped, so none is ever lost.
 */
const slack = 50;

/** Whether the workflow's timeline has grown past its window. */
export const timelineOverflows = (complaint: Complaint): boolean => complaint.timeline.length > caseLimits.timelineInWorkflow;

/** Position just past the complaint's last timeline entry, counting the ones left in the read model. */
export const timelineEnd = (complaint: Complaint): number => (complaint.timelineStart ?? 0) + complaint.timeline.length;

/**
 * Drops the oldest entries the read model holds (`storedThrough`: the position its last saved
 * snapshot reached), keeping at least `timelineInWorkflow - slack`. Returns how many it dropped.
 */
export function trimTimeline(complaint: Complaint, storedThrough: number): number {
  const start = complaint.timelineStart ?? 0;
  const wanted = complaint.timeline.length - (caseLimits.timelineInWorkflow - slack);
  const drop = Math.min(wanted, storedThrough - start);
  if (drop <= 0) return 0;
  complaint.timeline.splice(0, drop);
  complaint.timelineStart = start + drop;
  return drop;
}

/** The complaint with its whole timeline, given the read model's (`stored`), no window left. */
export function withWholeTimeline(stored: readonly TimelineEvent[], complaint: Complaint): Complaint {
  if (!complaint.timelineStart) return complaint;
  const { timelineStart: _start, ...rest } = complaint;
  return { ...rest, timeline: wholeTimeline(stored, complaint) };
}

/** The whole timeline: the read model's entries before the window, then the window. */
export function wholeTimeline(stored: readonly TimelineEvent[], complaint: Pick<Complaint, 'timeline' | 'timelineStart'>): TimelineEvent[] {
  const start = complaint.timelineStart ?? 0;
  return start === 0 ? complaint.timeline : [...stored.slice(0, start), ...complaint.timeline];
}
