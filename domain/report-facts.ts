import { DateTime } from 'luxon';
import { calendarZone } from './time-zone';
import { workingHoursBetween, type WorkingCalendar } from './calendar';
import type { Complaint, Stage } from './complaint-schema';
import { clockEventsOf, type ClockEvent } from './what-if';

/**
 * The facts of one case that the reports aggregate: small, flat, one document per case, so
 * the database groups 100,000 of them without reading timelines. Pure: derived from the case
 * and its calendar only.
 */
export const reportStages = ['acknowledge', 'investigate', 'plan', 'resolve', 'revisit'] as const;
export type ReportStage = (typeof reportStages)[number];

export interface StageFact {
  /**
   * met or breached once the stage is over; open while it runs; ended when ops terminated the
   * case before the stage was over and had not been breached (it never will be: reports count
   * it as none of the three).
   */
  outcome: 'met' | 'breached' | 'open' | 'ended';
  hours?: number;
  workingHours?: number;
}

/** A case's clocks as the what-if replays them: its policy version, clock events and recorded breaches. */
export interface CaseClocks {
  policyVersion: string;
  events: ClockEvent[];
  breaches: Array<{ stage: Stage; deadline: string }>;
}

export interface ReportFacts {
  _id: string;
  createdAt: Date;
  /** Month of intake in the calendar's time zone, `YYYY-MM`. */
  month: string;
  /** Day of the month of intake, 1-31, in the calendar's time zone. */
  day: number;
  category: string;
  severity: string;
  channel: string;
  departments: string[];
  status: string;
  escalationLevel: number;
  escalated: boolean;
  stages: Record<ReportStage, StageFact>;
  satisfactionScore: number | null;
  /** answered, no_answer, or null while the revisit has not ended. */
  revisit: 'answered' | 'no_answer' | null;
  remedy: string | null;
  /** What the remedy cost (the accepted plan's amount), once the case is resolved. */
  remedyCost: number | null;
  /** Times the case was reopened after closure (facts stored before 2026-12 lack it: none). */
  reopens: number;
  /**
   * What the what-if replays (issue 23), `CaseClocks` as JSON text: FerretDB decodes a string
   * far faster than nested documents (decision 010). Facts stored before 2026-12-04 lack it:
   * the what-if reads those cases' timelines from the read model instead.
   */
  clocks?: string;
  revision: number;
}

/** Where each reported stage starts and ends on the timeline. */
const bounds: Record<ReportStage, { from: string; to: string[] }> = {
  acknowledge: { from: 'received', to: ['acknowledged'] },
  investigate: { from: 'investigation_started', to: ['investigation_completed'] },
  plan: { from: 'investigation_completed', to: ['plan_proposed'] },
  resolve: { from: 'received', to: ['resolved'] },
  revisit: { from: 'resolved', to: ['closed'] },
};

export function reportFacts(complaint: Complaint, calendar: WorkingCalendar): ReportFacts {
  // A reopened case is measured by its latest round: from the reopen on (acknowledgement was the first round's).
  const round = Math.max(0, complaint.timeline.map((e) => e.type).lastIndexOf('reopened'));
  const inRound = (stage: ReportStage) => (stage === 'acknowledge' ? complaint.timeline : complaint.timeline.slice(round));
  const at = (type: string, stage: ReportStage = 'acknowledge') => inRound(stage).find((e) => e.type === type)?.at;
  const roundStartedAt = round > 0 ? complaint.timeline[round]!.at : '';
  const unfinished: StageFact['outcome'] = complaint.status === 'terminated' ? 'ended' : 'open';
  const created = DateTime.fromISO(complaint.createdAt, { zone: calendarZone(calendar.timezone) });
  const stages = Object.fromEntries(
    reportStages.map((stage) => {
      const start = at(round > 0 && stage === 'resolve' ? 'reopened' : bounds[stage].from, stage);
      const end = bounds[stage].to.map((type) => at(type, stage)).find(Boolean);
      const breached = complaint.breaches.some((b) => b.stage === (stage as Stage) && (stage === 'acknowledge' || b.at >= roundStartedAt));
      if (!start || !end) return [stage, { outcome: breached ? 'breached' : unfinished } satisfies StageFact];
      const hours = (Date.parse(end) - Date.parse(start)) / 3_600_000;
      return [
        stage,
        {
          outcome: breached ? 'breached' : 'met',
          hours: tenth(hours),
          workingHours: tenth(workingHoursBetween(calendar, new Date(start), new Date(end))),
        } satisfies StageFact,
      ];
    }),
  ) as Record<ReportStage, StageFact>;
  const closed = complaint.timeline.slice(round).find((e) => e.type === 'closed');
  // A case ops terminated after its resolution keeps the cost of its remedy.
  const resolved = complaint.status === 'resolved' || complaint.status === 'closed' || (complaint.status === 'terminated' && at('resolved', 'resolve') !== undefined);
  return {
    _id: complaint.id,
    createdAt: new Date(complaint.createdAt),
    month: created.toFormat('yyyy-MM'),
    day: created.day,
    category: complaint.category,
    severity: complaint.severity,
    channel: complaint.channel,
    departments: [...complaint.departments],
    status: complaint.status,
    escalationLevel: complaint.escalationLevel,
    escalated: complaint.escalationLevel > 1,
    stages,
    satisfactionScore: complaint.satisfaction?.score ?? null,
    revisit: closed ? (complaint.satisfaction ? 'answered' : 'no_answer') : null,
    remedy: complaint.plan?.remedy ?? null,
    remedyCost: resolved && complaint.plan ? (complaint.plan.amount ?? 0) : null,
    reopens: complaint.reopenCount ?? 0,
    clocks: JSON.stringify({
      policyVersion: complaint.slaPolicyVersion,
      events: clockEventsOf(complaint.timeline),
      breaches: complaint.breaches.map(({ stage, deadline }) => ({ stage, deadline })),
    } satisfies CaseClocks),
    revision: complaint.revision,
  };
}

/**
 * The facts of a case ops terminated, from its last facts: status `terminated`, its open
 * stages `ended` (what `reportFacts` gives for a terminated case), its clocks stopped at `at`, one revision up. What had
 * ended (met, breached, a remedy paid on resolution) stays as it was.
 */
export function terminatedFacts(facts: ReportFacts, at: string): ReportFacts {
  const stages = Object.fromEntries(
    reportStages.map((stage) => {
      const fact = facts.stages[stage];
      return [stage, fact.outcome === 'open' ? { outcome: 'ended' } : fact];
    }),
  ) as Record<ReportStage, StageFact>;
  // The termination stops every clock that still ran, as it does on the timeline.
  const clocks = facts.clocks === undefined ? undefined : (JSON.parse(facts.clocks) as CaseClocks);
  clocks?.events.push({ type: 'ops_terminated', at });
  return { ...facts, status: 'terminated', stages, ...(clocks ? { clocks: JSON.stringify(clocks) } : {}), revision: facts.revision + 1 };
}

// Hours to a tenth (6 minutes): precise enough for reports, and few distinct values to group.
const tenth = (n: number) => Math.round(n * 10) / 10;
