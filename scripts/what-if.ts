// The what-if CLI: `npm run what-if -- --policy candidate.json --from 2026-10-01 --to 2027-01-01`.
// The same comparison as POST /api/v1/reports/what-if (services/what-if.ts), as tables.
// Exit codes: 0 done (and the identity self-check agreed), 1 the self-check disagreed, 2 bad usage.
import Table from 'cli-table3';
import { Command, InvalidArgumentError } from 'commander';
import mongoose from 'mongoose';
import { readFileSync } from 'node:fs';
import pc from 'picocolors';
import { complaintModel, ComplaintReadModel } from '../activities/read-model';
import { reportFactsModel, ReportFactsStore } from '../activities/report-facts-store';
import { SlaPolicyArchive, slaPolicyArchiveModel } from '../activities/sla-policy-archive';
import { parseSlaPolicy, SlaPolicyError } from '../domain/sla-policy';
import { loadConfig } from '../runtime/config';
import { WhatIfService, type WhatIfReport } from '../services/what-if';

const day = (value: string): Date => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('a date such as 2026-10-01');
  return date;
};

const program = new Command('what-if')
  .description('What a candidate SLA policy would have done to the cases received in a period')
  .requiredOption('--policy <file>', 'the candidate, in the SLA_POLICY_FILE format')
  .requiredOption('--from <date>', 'first day (inclusive)', day)
  .requiredOption('--to <date>', 'end (exclusive)', day)
  .action(async (options: { policy: string; from: Date; to: Date }) => {
    const config = loadConfig();
    if (!config.MONGODB_URI) {
      console.error(pc.red('Set MONGODB_URI (for `npm start`: mongodb://127.0.0.1:27017/complaints).'));
      process.exit(2);
    }
    let candidate;
    try {
      candidate = parseSlaPolicy(JSON.parse(readFileSync(options.policy, 'utf8')), options.policy);
    } catch (err) {
      console.error(pc.red(err instanceof SlaPolicyError ? err.message : `${options.policy}: ${(err as Error).message}`));
      process.exit(2);
    }
    const mongo = await mongoose.createConnection(config.MONGODB_URI, { serverSelectionTimeoutMS: 5000 }).asPromise();
    try {
      const service = new WhatIfService(new ReportFactsStore(reportFactsModel(mongo)), new ComplaintReadModel(complaintModel(mongo)), new SlaPolicyArchive(slaPolicyArchiveModel(mongo)));
      const report = await service.compare({ candidate, from: options.from, to: options.to });
      print(report);
      process.exitCode = report.selfCheck.disagreeing > 0 ? 1 : 0;
    } finally {
      await mongo.close();
    }
  });

function print(report: WhatIfReport): void {
  console.log(`${report.cases} cases received ${report.from} – ${report.to}`);
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
  const stages = new Table({ head: ['stage', 'severity', 'clocks', 'breached now', 'under candidate', 'compliance now', 'under candidate', 'deadline shift h (mean / p90)'] });
  for (const s of report.stages) {
    const change = s.breachedCandidate - s.breachedNow;
    stages.push([
      s.stage, s.severity, s.clocks, s.breachedNow,
      change === 0 ? String(s.breachedCandidate) : (change > 0 ? pc.red : pc.green)(`${s.breachedCandidate} (${change > 0 ? '+' : ''}${change})`),
      pct(s.complianceNow), pct(s.complianceCandidate), `${s.deadlineShiftHours.mean ?? '—'} / ${s.deadlineShiftHours.p90 ?? '—'}`,
    ]);
  }
  console.log(stages.toString());
  const more = report.breaches.candidate - report.breaches.now;
  console.log(`Missed deadlines: ${report.breaches.now} now, ${report.breaches.candidate} under the candidate (${more >= 0 ? '+' : ''}${more}).`);
  console.log(`Escalated: ${report.escalations.now} now, ${report.escalations.candidate} under the candidate (${report.escalations.change >= 0 ? '+' : ''}${report.escalations.change}).`);
  if (report.flips.total > 0) {
    const flips = new Table({ head: ['complaint', 'stage', 'now', 'under candidate'] });
    for (const f of report.flips.items.slice(0, 50)) flips.push([f.id, f.stage, f.now, f.candidate]);
    console.log(`${report.flips.total} stage outcomes would flip${report.flips.total > 50 ? ' (the first 50)' : ''}:\n${flips.toString()}`);
  }
  const check = report.selfCheck;
  const unknown = check.unknownPolicy.cases ? `; ${check.unknownPolicy.cases} cases under unknown policy versions (${check.unknownPolicy.versions.join(', ')}) left out` : '';
  console.log(check.disagreeing === 0
    ? pc.green(`Self-check: all ${check.agreeing} cases reproduce their recorded breaches under their own policy${unknown}.`)
    : pc.red(`Self-check: ${check.disagreeing} cases do not reproduce their recorded breaches (first: ${check.disagreements.slice(0, 5).map((d) => d.id).join(', ')})${unknown}.`));
}

await program.parseAsync();
