import type { ComplaintReadModel } from '../activities/read-model';
import type { ReportFactsStore } from '../activities/report-facts-store';
import type { SlaPolicyArchive } from '../activities/sla-policy-archive';
import { maxEscalationLevel } from '../domain/case-state';
import type { Severity, Stage } from '../domain/complaint-schema';
import type { CaseClocks, ReportFacts } from '../domain/report-facts';
import { resolveSlaPolicy, type ResolvedSlaPolicy, type SlaPolicyFile } from '../domain/sla-policy';
import { clockEventsOf, replayClocks, replayedBreaches, type ClockEvent } from '../domain/what-if';
import type { StageComparison, WhatIfReport } from './what-if-report';

/**
 * The what-if (issue 23): the cases received in a period replayed under a candidate policy
 * beside what happened under their own. Reads the cases' report facts, which keep each case's
 * clock events, breaches and policy version (one small document per case, streamed: one batch
 * in memory at a time); a case whose facts were stored before they kept its clocks is read
 * from the read model. The figures kept are counters, and the deadline shifts as counts per
 * tenth of an hour, so the memory stays flat however many cases the period holds.
 */

export type { WhatIfReport } from './what-if-report';

export interface WhatIfQuery {
  candidate: SlaPolicyFile;
  from: Date;
  to: Date;
}

/** A case as the what-if replays it. */
interface ReplayableCase {
  id: string;
  severity: Severity;
  escalationLevel: number;
  policyVersion: string;
  events: ClockEvent[];
  breaches: Array<{ stage: Stage; deadline: string }>;
}

const flipsShown = 1000;
const yieldEvery = 50;
const disagreementsShown = 100;

export class WhatIfService {
  constructor(
    private readonly facts: Pick<ReportFactsStore, 'receivedBetween'>,
    private readonly readModel: Pick<ComplaintReadModel, 'get'>,
    private readonly archive: Pick<SlaPolicyArchive, 'get' | 'zones'>,
  ) {}

  async compare(query: WhatIfQuery, now = new Date()): Promise<WhatIfReport> {
    const figures = new Figures();
    const candidates = new Map<Severity, ResolvedSlaPolicy>();
    const pinned = new Map<string, ResolvedSlaPolicy | null>();
    let read = 0;
    // A case's month is in its policy's zone: the months of the period in the zones in use.
    for await (const facts of this.facts.receivedBetween(query.from, query.to, await this.archive.zones())) {
      // A turn of the event loop now and then: the API's other requests are served meanwhile,
      // and the database's next batch is received while this one is worked through.
      if (++read % yieldEvery === 0) await new Promise((resolve) => setImmediate(resolve));
      const replayable = await this.replayable(facts);
      if (!replayable) continue;
      const own = await this.pinnedPolicy(pinned, replayable);
      if (!own) {
        figures.unknown(replayable.policyVersion);
        continue;
      }
      let candidate = candidates.get(replayable.severity);
      if (!candidate) candidates.set(replayable.severity, (candidate = resolveSlaPolicy(query.candidate, replayable.severity, 'candidate')));
      figures.add(replayable, replayClocks(replayable.events, own, now), replayClocks(replayable.events, candidate, now));
    }
    return figures.report(query);
  }

  /** From the facts' clocks; facts stored before they kept them: from the case in the read model. */
  private async replayable(facts: ReportFacts): Promise<ReplayableCase | null> {
    const base = { id: facts._id, severity: facts.severity as Severity, escalationLevel: facts.escalationLevel };
    if (facts.clocks !== undefined && facts.clocks !== null) return { ...base, ...(JSON.parse(facts.clocks) as CaseClocks) };
    const complaint = await this.readModel.get(facts._id);
    if (!complaint) return null;
    return { ...base, policyVersion: complaint.slaPolicyVersion, events: clockEventsOf(complaint.timeline), breaches: complaint.breaches };
  }

  private async pinnedPolicy(cache: Map<string, ResolvedSlaPolicy | null>, c: ReplayableCase): Promise<ResolvedSlaPolicy | null> {
    const key = `${c.policyVersion}|${c.severity}`;
    if (!cache.has(key)) {
      const file = await this.archive.get(c.policyVersion);
      cache.set(key, file ? resolveSlaPolicy(file, c.severity, c.policyVersion) : null);
    }
    return cache.get(key)!;
  }
}

type Clocks = ReturnType<typeof replayClocks>;

/** The running totals of a what-if. */
class Figures {
  private cases = 0;
  private readonly stages = new Map<string, { clocks: number; now: number; candidate: number; shifts: Map<number, number>; shiftTotal: number }>();
  private escalatedNow = 0;
  private escalatedCandidate = 0;
  private flipCount = 0;
  private readonly flipItems: WhatIfReport['flips']['items'] = [];
  private agreeing = 0;
  private readonly disagreements: WhatIfReport['selfCheck']['disagreements'] = [];
  private disagreeing = 0;
  private unknownCases = 0;
  private readonly unknownVersions = new Set<string>();

  unknown(version: string): void {
    this.unknownCases += 1;
    this.unknownVersions.add(version);
  }

  add(c: ReplayableCase, own: Clocks, candidate: Clocks): void {
    this.cases += 1;
    const recorded = c.breaches.map((b) => `${b.stage}@${b.deadline}`).sort();
    const replayed = replayedBreaches(own).map((b) => `${b.stage}@${b.deadline}`).sort();
    if (recorded.join() === replayed.join()) this.agreeing += 1;
    else {
      this.disagreeing += 1;
      if (this.disagreements.length < disagreementsShown) this.disagreements.push({ id: c.id, recorded, replayed });
    }
    // The same events start the same clocks under both policies: they pair up by position.
    own.forEach((clock, i) => {
      const other = candidate[i]!;
      const row = this.row(clock.stage, c.severity);
      row.clocks += 1;
      if (clock.breached) row.now += 1;
      if (other.breached) row.candidate += 1;
      const shift = (Date.parse(other.deadline) - Date.parse(clock.deadline)) / 3_600_000;
      row.shiftTotal += shift;
      const tenths = Math.round(shift * 10);
      row.shifts.set(tenths, (row.shifts.get(tenths) ?? 0) + 1);
      if (clock.breached !== other.breached) {
        this.flipCount += 1;
        if (this.flipItems.length < flipsShown) {
          this.flipItems.push({ id: c.id, stage: clock.stage, now: clock.breached ? 'breached' : 'met', candidate: other.breached ? 'breached' : 'met' });
        }
      }
    });
    // Every breach raised the level by one (at most 3); the rest of the level was by hand.
    const levelUnder = (breaches: number) => Math.min(maxEscalationLevel, Math.max(1, c.escalationLevel - replayed.length + breaches));
    if (c.escalationLevel > 1) this.escalatedNow += 1;
    if (levelUnder(replayedBreaches(candidate).length) > 1) this.escalatedCandidate += 1;
  }

  private row(stage: Stage, severity: Severity) {
    const key = `${stage}|${severity}`;
    let row = this.stages.get(key);
    if (!row) this.stages.set(key, (row = { clocks: 0, now: 0, candidate: 0, shifts: new Map(), shiftTotal: 0 }));
    return row;
  }

  report(query: WhatIfQuery): WhatIfReport {
    const rate = (breached: number, clocks: number) => (clocks ? round(1 - breached / clocks) : null);
    const stages = [...this.stages.entries()].map(([key, row]) => {
      const [stage, severity] = key.split('|') as [Stage, Severity];
      return {
        stage, severity, clocks: row.clocks, breachedNow: row.now, breachedCandidate: row.candidate,
        complianceNow: rate(row.now, row.clocks), complianceCandidate: rate(row.candidate, row.clocks),
        deadlineShiftHours: shiftOf(row.shifts, row.shiftTotal, row.clocks),
      };
    });
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      cases: this.cases,
      stages: stages.sort((a, b) => a.stage.localeCompare(b.stage) || a.severity.localeCompare(b.severity)),
      breaches: { now: sumOf(stages, 'breachedNow'), candidate: sumOf(stages, 'breachedCandidate') },
      escalations: { now: this.escalatedNow, candidate: this.escalatedCandidate, change: this.escalatedCandidate - this.escalatedNow },
      flips: { total: this.flipCount, items: this.flipItems },
      selfCheck: {
        agreeing: this.agreeing, disagreeing: this.disagreeing, disagreements: this.disagreements,
        unknownPolicy: { cases: this.unknownCases, versions: [...this.unknownVersions] },
      },
    };
  }
}

/** Mean and nearest-rank p90 of the shifts (counted per tenth of an hour), in hours to a tenth. */
function shiftOf(tenths: Map<number, number>, total: number, n: number): StageComparison['deadlineShiftHours'] {
  if (n === 0) return { mean: null, p90: null };
  const rank = Math.ceil(0.9 * n);
  let seen = 0;
  let p90 = 0;
  for (const [value, count] of [...tenths.entries()].sort((a, b) => a[0] - b[0])) {
    p90 = value;
    if ((seen += count) >= rank) break;
  }
  return { mean: tenth(total / n), p90: p90 / 10 };
}

const sumOf = (rows: StageComparison[], key: 'breachedNow' | 'breachedCandidate') => rows.reduce((total, row) => total + row[key], 0);
const tenth = (n: number) => Math.round(n * 10) / 10;
const round = (n: number) => Math.round(n * 1000) / 1000;
