import { reportStages } from '../../domain/report-facts';
import type { MonthlyReport, SummaryReport } from '../../services/reports';
import { esc, pageStyle, stackedDailyChart } from './charts';
import { reportSections } from './sections';

/**
 * The monthly report as one printable HTML page with inline SVG charts: no script, no CDN,
 * nothing fetched. Answers "which stage is our bottleneck, and are we at 90 % satisfaction?".
 */
export function renderMonthlyReport(report: MonthlyReport): string {
  const daysInMonth = new Date(Number(report.month.slice(0, 4)), Number(report.month.slice(5, 7)), 0).getDate();
  const byDay = new Map(report.dailyVolume.map((d) => [d.day, d.byCategory]));
  const days = Array.from({ length: daysInMonth }, (_, i) => ({ label: String(i + 1), byCategory: byDay.get(i + 1) ?? {} }));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Complaints — monthly report ${esc(report.month)}</title>
${pageStyle}</head><body>
<h1>Complaint handling — ${esc(report.month)}</h1>
<div>${report.totals.cases} complaints received; generated ${esc(new Date().toISOString())}</div>
${reportSections(report, stackedDailyChart(days, 5))}
</body></html>`;
}

/** The same figures as CSV: one line per figure, `section,key,metric,value`. */
export function monthlyCsv(report: MonthlyReport): string {
  const rows = figureRows(report);
  for (const d of report.dailyVolume) for (const [category, n] of Object.entries(d.byCategory)) rows.push(['volume', `day:${d.day}:${category}`, 'cases', n]);
  for (const b of report.resolveTimeBuckets) rows.push(['resolve_time', b.label, 'cases', b.cases]);
  return csv(['section', 'key', 'metric', 'value'], rows);
}

export type FigureRow = [string, string, string, string | number | null];

/** A summary's figures as `section,key,metric,value` rows (the monthly and quarterly CSVs). */
export function figureRows(report: SummaryReport): FigureRow[] {
  const rows: FigureRow[] = [];
  rows.push(['total', 'all', 'cases', report.totals.cases]);
  for (const [group, counts] of Object.entries({ status: report.totals.byStatus, category: report.totals.byCategory, severity: report.totals.bySeverity, channel: report.totals.byChannel, department: report.totals.byDepartment })) {
    for (const [k, v] of Object.entries(counts)) rows.push(['total', `${group}:${k}`, 'cases', v]);
  }
  for (const stage of reportStages) {
    const r = report.stages[stage];
    rows.push(['stage', stage, 'met', r.met], ['stage', stage, 'breached', r.breached], ['stage', stage, 'compliance_rate', r.complianceRate]);
    rows.push(['stage', stage, 'mean_hours', r.hours.mean], ['stage', stage, 'p50_hours', r.hours.p50], ['stage', stage, 'p90_hours', r.hours.p90]);
    rows.push(['stage', stage, 'p90_working_hours', r.workingHours.p90], ['stage', stage, 'p90_to_target', r.p90ToTarget]);
  }
  const s = report.satisfaction;
  rows.push(['satisfaction', 'all', 'responses', s.responses], ['satisfaction', 'all', 'mean_score', s.meanScore], ['satisfaction', 'all', 'satisfied_rate', s.satisfiedRate]);
  for (const [score, n] of Object.entries(s.distribution)) rows.push(['satisfaction', `score:${score}`, 'responses', n]);
  rows.push(['revisit', 'all', 'answer_rate', report.revisit.answerRate]);
  for (const [level, n] of Object.entries(report.escalations.byLevel)) rows.push(['escalation', `level:${level}`, 'cases', n]);
  rows.push(['reopen', 'all', 'rate', report.reopens.rate]);
  for (const [category, r] of Object.entries(report.reopens.byCategory)) rows.push(['reopen', `category:${category}`, 'rate', r.rate]);
  for (const [remedy, c] of Object.entries(report.remedyCost.byRemedy)) rows.push(['remedy_cost', remedy, 'total', c.total]);
  rows.push(['bottleneck', report.bottleneck?.stage ?? '', 'p90_to_target', report.bottleneck?.p90ToTarget ?? null]);
  return rows;
}

/** CSV text: a header, then the rows, quoted where needed. */
export function csv(header: string[], rows: Array<Array<string | number | null>>): string {
  const cell = (v: unknown) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return `${header.join(',')}\n${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
