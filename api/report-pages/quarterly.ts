import { reportStages } from '../../domain/report-facts';
import type { MonthlyReport, QuarterlyReport, SummaryReport } from '../../services/reports';
import { esc, num, pageStyle, pct, stackedDailyChart } from './charts';
import { csv, figureRows } from './monthly';
import { reportSections } from './sections';

/**
 * The quarterly service report (seeds 002 §1.1) as one printable page: the monthly report's
 * answers and charts over the quarter, then its three months side by side.
 */
export function renderQuarterlyReport(report: QuarterlyReport): string {
  const byDate = new Map(report.dailyVolume.map((d) => [d.date, d.byCategory]));
  const days = report.months.flatMap(({ month }) => {
    const length = new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0).getDate();
    return Array.from({ length }, (_, i) => {
      const date = `${month}-${String(i + 1).padStart(2, '0')}`;
      // Each month's name on its first day, and its 15th.
      return { label: i === 0 ? month : date.slice(5), byCategory: byDate.get(date) ?? {}, tick: i === 0 || i === 14 };
    });
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Complaints — quarterly report ${esc(report.quarter)}</title>
${pageStyle}</head><body>
<h1>Complaint handling — ${esc(report.quarter)}</h1>
<div>${report.totals.cases} complaints received in ${report.months.map((m) => esc(m.month)).join(', ')}; generated ${esc(new Date().toISOString())}</div>
${reportSections(report, stackedDailyChart(days, 14))}
<h2>The months side by side</h2>
${sideBySide(report)}
</body></html>`;
}

/** One row per figure, one column per month and one for the quarter. */
function sideBySide(report: QuarterlyReport): string {
  const periods: Array<[string, SummaryReport]> = [...report.months.map((m): [string, MonthlyReport] => [m.month, m]), [report.quarter, report]];
  const rows: Array<[string, (r: SummaryReport) => string]> = [
    ['complaints received', (r) => String(r.totals.cases)],
    ...reportStages.map((stage): [string, (r: SummaryReport) => string] => [`${stage} compliance`, (r) => pct(r.stages[stage].complianceRate)]),
    ...reportStages.map((stage): [string, (r: SummaryReport) => string] => [`${stage} p90 h`, (r) => num(r.stages[stage].hours.p90)]),
    ['bottleneck stage', (r) => (r.bottleneck ? `${esc(r.bottleneck.stage)} (${num(r.bottleneck.p90ToTarget, 2)} ×)` : '—')],
    ['satisfied (target 90 %)', (r) => pct(r.satisfaction.satisfiedRate)],
    ['mean score', (r) => num(r.satisfaction.meanScore, 2)],
    ['revisit answered', (r) => pct(r.revisit.answerRate)],
    ['escalated', (r) => String(r.escalations.escalated)],
    ['reopened', (r) => pct(r.reopens.rate)],
    ['remedy cost (CNY)', (r) => num(r.remedyCost.total, 2)],
  ];
  const head = periods.map(([name]) => `<th>${esc(name)}</th>`).join('');
  const body = rows.map(([label, cell]) => `<tr><td>${esc(label)}</td>${periods.map(([, r]) => `<td>${cell(r)}</td>`).join('')}</tr>`).join('\n');
  return `<table id="months"><thead><tr><th>figure</th>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Every figure of the quarter and of each month, `period,section,key,metric,value`. */
export function quarterlyCsv(report: QuarterlyReport): string {
  const rows: Array<Array<string | number | null>> = figureRows(report).map((r) => [report.quarter, ...r]);
  for (const d of report.dailyVolume) for (const [category, n] of Object.entries(d.byCategory)) rows.push([report.quarter, 'volume', `date:${d.date}:${category}`, 'cases', n]);
  for (const b of report.resolveTimeBuckets) rows.push([report.quarter, 'resolve_time', b.label, 'cases', b.cases]);
  for (const month of report.months) rows.push(...figureRows(month).map((r) => [month.month, ...r]));
  return csv(['period', 'section', 'key', 'metric', 'value'], rows);
}
