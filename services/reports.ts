import type { Model, PipelineStage } from 'mongoose';
import { reportStages, type ReportFacts, type ReportStage } from '../domain/report-facts';
import { durationMs, type ResolvedSlaPolicy } from '../domain/deadlines';
import type { z } from 'zod';
import type { monthlyShape, quarterlyShape, summaryShape } from './report-schemas';

/**
 * Supervisors' reports (domain.md §5), computed by the database over `report_facts`: only
 * $match, $group ($sum, $avg), $unwind, $sort, $skip, $limit and $project — the stages that
 * FerretDB v1 and MongoDB both run (decision 005; FerretDB has no $avg, so means are sums / counts). Percentiles are nearest-rank: the value at
 * position ceil(p·n) of the sorted values, read with a sort, a skip and a limit.
 */
export const satisfactionTarget = 0.9;

export interface ReportFilter {
  from?: Date;
  to?: Date;
  month?: string;
  /** Any of these months (a quarter's). */
  months?: string[];
  category?: string;
  department?: string;
}

/** What the reports answer: the schemas' types (services/report-schemas.ts), with the filter they were asked for. */
export type SummaryReport = z.infer<typeof summaryShape> & { filter: ReportFilter };
export type StageReport = SummaryReport['stages'][ReportStage];
type Distribution = StageReport['hours'];
export type MonthlyReport = z.infer<typeof monthlyShape> & { filter: ReportFilter };
/** The quarter's figures, its volume per day, and each of its months' report beside the others. */
export type QuarterlyReport = Omit<z.infer<typeof quarterlyShape>, 'months'> & { filter: ReportFilter; months: MonthlyReport[] };

/** The three months (YYYY-MM) of a quarter given as YYYY-Qn. */
export function monthsOfQuarter(quarter: string): string[] {
  const year = quarter.slice(0, 4);
  const first = (Number(quarter.slice(6)) - 1) * 3 + 1;
  return [first, first + 1, first + 2].map((m) => `${year}-${String(m).padStart(2, '0')}`);
}

const resolveBuckets = [0, 24, 48, 72, 120, 168, 336];

export class ReportService {
  constructor(
    private readonly facts: Model<ReportFacts>,
    /** Targets come from the policy in force (general severity). */
    private readonly policy: () => ResolvedSlaPolicy,
  ) {}

  async summary(filter: ReportFilter): Promise<SummaryReport> {
    const match = matchOf(filter);
    const [byStatus, byCategory, bySeverity, byChannel, byDepartment, stages, distribution, revisit, levels, costs, everClosed, reopened] = await Promise.all([
      this.countBy(match, '$status'),
      this.countBy(match, '$category'),
      this.countBy(match, '$severity'),
      this.countBy(match, '$channel'),
      this.countBy(match, '$departments', true),
      Promise.all(reportStages.map((stage) => this.stage(match, stage))),
      this.countBy({ ...match, satisfactionScore: { $gte: 1 } }, '$satisfactionScore'),
      this.countBy({ ...match, revisit: { $in: ['answered', 'no_answer'] } }, '$revisit'),
      this.countBy(match, '$escalationLevel'),
      this.aggregate<{ _id: { remedy: string; cost: number }; n: number }>([
        { $match: { ...match, remedyCost: { $gte: 0 } } },
        { $group: { _id: { remedy: '$remedy', cost: '$remedyCost' }, n: { $sum: 1 } } },
      ]),
      // A reopened case closed once before, whatever its status now.
      this.countBy({ ...match, $or: [{ status: 'closed' }, { reopens: { $gte: 1 } }] }, '$category'),
      this.countBy({ ...match, reopens: { $gte: 1 } }, '$category'),
    ]);
    const byRemedy: Record<string, { cases: number; total: number }> = {};
    for (const { _id, n } of costs) {
      const entry = (byRemedy[String(_id.remedy)] ??= { cases: 0, total: 0 });
      entry.cases += n;
      entry.total = round(entry.total + _id.cost * n);
    }
    const stageReports = Object.fromEntries(reportStages.map((s, i) => [s, stages[i]!])) as Record<ReportStage, StageReport>;
    const responses = sum(distribution);
    const satisfied = (distribution['4'] ?? 0) + (distribution['5'] ?? 0);
    const scoreTotal = Object.entries(distribution).reduce((t, [score, n]) => t + Number(score) * n, 0);
    const satisfiedRate = responses ? satisfied / responses : null;
    const answered = revisit.answered ?? 0;
    const noAnswer = revisit.no_answer ?? 0;
    const bottleneck = reportStages
      .map((stage) => ({ stage, p90ToTarget: stageReports[stage].p90ToTarget }))
      .filter((b): b is { stage: ReportStage; p90ToTarget: number } => b.p90ToTarget !== null)
      .sort((a, b) => b.p90ToTarget - a.p90ToTarget)[0] ?? null;
    return {
      filter,
      totals: { cases: sum(byStatus), byStatus, byCategory, bySeverity, byChannel, byDepartment },
      stages: stageReports,
      satisfaction: {
        responses,
        meanScore: responses ? round(scoreTotal / responses) : null,
        satisfiedRate: satisfiedRate === null ? null : round(satisfiedRate),
        target: satisfactionTarget,
        meetsTarget: satisfiedRate === null ? null : satisfiedRate >= satisfactionTarget,
        distribution: { 1: distribution['1'] ?? 0, 2: distribution['2'] ?? 0, 3: distribution['3'] ?? 0, 4: distribution['4'] ?? 0, 5: distribution['5'] ?? 0 },
      },
      revisit: { answered, noAnswer, answerRate: answered + noAnswer ? round(answered / (answered + noAnswer)) : null },
      escalations: { escalated: sum(levels) - (levels['1'] ?? 0), byLevel: levels },
      reopens: reopenRates(everClosed, reopened),
      remedyCost: { total: round(Object.values(byRemedy).reduce((t, c) => t + c.total, 0)), byRemedy },
      bottleneck: bottleneck ? { stage: bottleneck.stage, p90ToTarget: round(bottleneck.p90ToTarget) } : null,
    };
  }

  async monthly(month: string, filter: Omit<ReportFilter, 'month' | 'months' | 'from' | 'to'> = {}): Promise<MonthlyReport> {
    const full = { ...filter, month };
    const [summary, { daily, resolveTimeBuckets }] = await Promise.all([this.summary(full), this.volumeAndResolveTimes(full)]);
    return {
      ...summary,
      month,
      dailyVolume: daily.filter((d) => d.month === month).map(({ day, byCategory }) => ({ day, byCategory })),
      resolveTimeBuckets,
    };
  }

  async quarterly(quarter: string, filter: Omit<ReportFilter, 'month' | 'months' | 'from' | 'to'> = {}): Promise<QuarterlyReport> {
    const months = monthsOfQuarter(quarter);
    const full = { ...filter, months };
    const [summary, { daily, resolveTimeBuckets }, monthly] = await Promise.all([
      this.summary(full),
      this.volumeAndResolveTimes(full),
      Promise.all(months.map((month) => this.monthly(month, filter))),
    ]);
    return {
      ...summary,
      quarter,
      dailyVolume: daily.map(({ month, day, byCategory }) => ({ date: `${month}-${String(day).padStart(2, '0')}`, byCategory })),
      resolveTimeBuckets,
      months: monthly,
    };
  }

  /** Cases per day by category (oldest first), and the time to resolve in buckets. */
  private async volumeAndResolveTimes(filter: ReportFilter) {
    const match = matchOf(filter);
    const [daily, resolveHours] = await Promise.all([
      this.aggregate<{ _id: { month: string; day: number; category: string }; n: number }>([
        { $match: match },
        { $group: { _id: { month: '$month', day: '$day', category: '$category' }, n: { $sum: 1 } } },
      ]),
      this.valueCounts({ ...match, 'stages.resolve.hours': { $gte: 0 } }, '$stages.resolve.hours'),
    ]);
    const days = new Map<string, { month: string; day: number; byCategory: Record<string, number> }>();
    for (const { _id, n } of daily) {
      const key = `${_id.month}-${String(_id.day).padStart(2, '0')}`;
      const row = days.get(key) ?? { month: _id.month, day: _id.day, byCategory: {} };
      row.byCategory[_id.category] = n;
      days.set(key, row);
    }
    const resolveTimeBuckets = resolveBuckets.map((from, i) => {
      const to = resolveBuckets[i + 1] ?? null;
      return {
        label: to === null ? `≥ ${from} h` : `${from}–${to} h`,
        from,
        to,
        cases: resolveHours.filter(([h]) => h >= from && (to === null || h < to)).reduce((t, [, n]) => t + n, 0),
      };
    });
    return { daily: [...days.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, row]) => row), resolveTimeBuckets };
  }

  private async stage(match: Record<string, unknown>, stage: ReportStage): Promise<StageReport> {
    const hoursField = `stages.${stage}.hours`;
    const workingField = `stages.${stage}.workingHours`;
    const measured = { ...match, [hoursField]: { $gte: 0 } };
    const [outcomes, hours, working] = await Promise.all([
      this.countBy(match, `$stages.${stage}.outcome`),
      this.valueCounts(measured, `$${hoursField}`).then(distributionOf),
      this.valueCounts(measured, `$${workingField}`).then(distributionOf),
    ]);
    const met = outcomes.met ?? 0;
    const breached = outcomes.breached ?? 0;
    const target = targetOf(this.policy(), stage);
    const p90InUnit = target?.unit === 'workingHours' ? working.p90 : hours.p90;
    return {
      met,
      breached,
      open: outcomes.open ?? 0,
      complianceRate: met + breached ? round(met / (met + breached)) : null,
      hours,
      workingHours: working,
      target,
      p90ToTarget: target && p90InUnit !== null ? round(p90InUnit / target.value) : null,
    };
  }

  /** [value, how many cases have it], sorted by value. */
  private async valueCounts(match: Record<string, unknown>, field: string): Promise<Array<[number, number]>> {
    const rows = await this.aggregate<{ _id: number; n: number }>([{ $match: match }, { $group: { _id: field, n: { $sum: 1 } } }]);
    return rows.filter((r) => typeof r._id === 'number').map((r) => [r._id, r.n] as [number, number]).sort((a, b) => a[0] - b[0]);
  }

  private async countBy(match: Record<string, unknown>, field: string, unwind = false): Promise<Record<string, number>> {
    const rows = await this.aggregate<{ _id: unknown; n: number }>([
      { $match: match },
      ...(unwind ? [{ $unwind: field }] : []),
      { $group: { _id: field, n: { $sum: 1 } } },
    ]);
    return Object.fromEntries(rows.filter((r) => r._id !== null && r._id !== undefined).map((r) => [String(r._id), r.n]));
  }

  private aggregate<T>(pipeline: PipelineStage[]): Promise<T[]> {
    return this.facts.aggregate<T>(pipeline).exec();
  }
}

/** Mean, and nearest-rank p50 and p90, of values given with their counts. */
export function distributionOf(counts: Array<[number, number]>): Distribution {
  const n = counts.reduce((t, [, c]) => t + c, 0);
  if (n === 0) return { mean: null, p50: null, p90: null };
  const total = counts.reduce((t, [v, c]) => t + v * c, 0);
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil(p * n));
    let seen = 0;
    for (const [v, c] of counts) if ((seen += c) >= rank) return round(v);
    return round(counts.at(-1)![0]);
  };
  return { mean: round(total / n), p50: at(0.5), p90: at(0.9) };
}

function matchOf(filter: ReportFilter): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (filter.month) match.month = filter.month;
  else if (filter.months) match.month = { $in: filter.months };
  if (filter.from || filter.to) {
    match.createdAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  }
  if (filter.category) match.category = filter.category;
  if (filter.department) match.departments = filter.department;
  return match;
}

/** The stage's limit in the policy: calendar hours, or working days as working hours. */
function targetOf(policy: ResolvedSlaPolicy, stage: ReportStage): StageReport['target'] {
  const duration = policy.durations[stage];
  if (typeof duration === 'object') return { value: duration.businessDays * 24, unit: 'workingHours' };
  return { value: durationMs(duration) / 3_600_000, unit: 'hours' };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const round = (n: number) => Math.round(n * 1000) / 1000;

/** Reopen rate overall and per category: reopened cases over cases that closed at least once. */
function reopenRates(closed: Record<string, number>, reopened: Record<string, number>): SummaryReport['reopens'] {
  const rate = (r: number, c: number) => (c ? round(r / c) : null);
  const byCategory = Object.fromEntries(
    Object.entries(closed).map(([category, c]) => [category, { closed: c, reopened: reopened[category] ?? 0, rate: rate(reopened[category] ?? 0, c) }]),
  );
  const total = sum(closed);
  const again = sum(reopened);
  return { closed: total, reopened: again, rate: rate(again, total), byCategory };
}
