import type { ComplaintReadModel } from '../activities/read-model';
import type { SlaPolicyArchive } from '../activities/sla-policy-archive';
import { maxEscalationLevel } from '../domain/case-state';
import type { Complaint, Severity, Stage } from '../domain/complaint-schema';
import { resolveSlaPolicy, type ResolvedSlaPolicy, type SlaPolicyFile } from '../domain/sla-policy';
import { replayClocks, replayedBreaches } from '../domain/what-if';

/**
 * The what-if (issue 23): the cases received in a period replayed under a candidate policy
 * beside what happened under their own. Streams the read model (one case in memory at a time;
 * the figures kept are counters and one number per stage clock for the deadline shift).
 */

export interface WhatIfQuery {
  candidate: SlaPolicyFile;
  from: Date;
  to: Date;
}

export interface StageComparison {
  stage: Stage;
  severity: Severity;
  /** Stage clocks started in the period's cases. */
  clocks: number;
  breachedNow: number;
  breachedCandidate: number;
  complianceNow: number | null;
  complianceCandidate: number | null;
  /** Candidate deadline minus the case's own, in hours. */
  deadlineShiftHours: { mean: number | null; p90: number | null };
}

export interface WhatIfReport {
  from: string;
  to: string;
  cases: number;
  stages: StageComparison[];
  /** Cases above level 1, now and under the candidate (each breach escalates one level, at most 3). */
  escalations: { now: number; candidate: number; change: number };
  /** Stage clocks whose outcome the candidate changes; the first `flipsShown` of them by id. */
  flips: { total: number; items: Array<{ id: string; stage: Stage; now: 'met' | 'breached'; candidate: 'met' | 'breached' }> };
  /** The identity run: each case under its own policy must give the breaches it recorded. */
  selfCheck: {
    agreeing: number;
    disagreeing: number;
    disagreements: Array<{ id: string; recorded: string[]; replayed: string[] }>;
    /** Cases whose policy version this service never ran under: neither compared nor counted above. */
    unknownPolicy: { cases: number; versions: string[] };
  };
}

const flipsShown = 1000;
const disagreementsShown = 100;

export class WhatIfService {
  constructor(
    private readonly readModel: Pick<ComplaintReadModel, 'receivedBetween'>,
    private readonly archive: Pick<SlaPolicyArchive, 'get'>,
  ) {}

  async compare(query: WhatIfQuery, now = new Date()): Promise<WhatIfReport> {
    const figures = new Figures();
    const candidates = new Map<Severity, ResolvedSlaPolicy>();
    const pinned = new Map<string, ResolvedSlaPolicy | null>();
    for await (const complaint of this.readModel.receivedBetween(query.from, query.to)) {
      const own = await this.pinnedPolicy(pinned, complaint);
      if (!own) {
        figures.unknown(complaint.slaPolicyVersion);
        continue;
      }
      let candidate = candidates.get(complaint.severity);
      if (!candidate) candidates.set(complaint.severity, (candidate = resolveSlaPolicy(query.candidate, complaint.severity, 'candidate')));
      figures.add(complaint, replayClocks(complaint, own, now), replayClocks(complaint, candidate, now));
    }
    return figures.report(query);
  }

  private async pinnedPolicy(cache: Map<string, ResolvedSlaPolicy | null>, c: Complaint): Promise<ResolvedSlaPolicy | null> {
    const key = `${c.slaPolicyVersion}|${c.severity}`;
    if (!cache.has(key)) {
      const file = await this.archive.get(c.slaPolicyVersion);
      cache.set(key, file ? resolveSlaPolicy(file, c.severity, c.slaPolicyVersion) : null);
    }
    return cache.get(key)!;
  }
}

type Clocks = ReturnType<typeof replayClocks>;

/** The running totals of a what-if. */
class Figures {
  private cases = 0;
  private readonly stages = new Map<string, { clocks: number; now: number; candidate: number; shifts: number[] }>();
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

  add(c: Complaint, own: Clocks, candidate: Clocks): void {
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
      row.shifts.push((Date.parse(other.deadline) - Date.parse(clock.deadline)) / 3_600_000);
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
    if (!row) this.stages.set(key, (row = { clocks: 0, now: 0, candidate: 0, shifts: [] }));
    return row;
  }

  report(query: WhatIfQuery): WhatIfReport {
    const rate = (breached: number, clocks: number) => (clocks ? round(1 - breached / clocks) : null);
    const stages = [...this.stages.entries()].map(([key, row]) => {
      const [stage, severity] = key.split('|') as [Stage, Severity];
      return {
        stage, severity, clocks: row.clocks, breachedNow: row.now, breachedCandidate: row.candidate,
        complianceNow: rate(row.now, row.clocks), complianceCandidate: rate(row.candidate, row.clocks),
        deadlineShiftHours: shiftOf(row.shifts),
      };
    });
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      cases: this.cases,
      stages: stages.sort((a, b) => a.stage.localeCompare(b.stage) || a.severity.localeCompare(b.severity)),
      escalations: { now: this.escalatedNow, candidate: this.escalatedCandidate, change: this.escalatedCandidate - this.escalatedNow },
      flips: { total: this.flipCount, items: this.flipItems },
      selfCheck: {
        agreeing: this.agreeing, disagreeing: this.disagreeing, disagreements: this.disagreements,
        unknownPolicy: { cases: this.unknownCases, versions: [...this.unknownVersions] },
      },
    };
  }
}

/** Mean and nearest-rank p90 of the shifts, in hours to a tenth. */
function shiftOf(values: number[]): StageComparison['deadlineShiftHours'] {
  if (values.length === 0) return { mean: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((t, v) => t + v, 0) / values.length;
  return { mean: tenth(mean), p90: tenth(sorted[Math.ceil(0.9 * sorted.length) - 1]!) };
}

const tenth = (n: number) => Math.round(n * 10) / 10;
const round = (n: number) => Math.round(n * 1000) / 1000;
