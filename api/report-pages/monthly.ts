import { reportStages } from '../domain/report-facts';
import type { MonthlyReport } from '../services/reports';

/**
 * The monthly report as one printable HTML page with inline SVG charts: no script, no CDN,
 * nothing fetched. Answers "which stage is our bottleneck, and are we at 90 % satisfaction?".
 */
const palette = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2'];
const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));

interface Bar {
  label: string;
  value: number;
  color?: string;
  text?: string;
}

function barChart(id: string, title: string, bars: Bar[], options: { max?: number; width?: number } = {}): string {
  const width = options.width ?? 520;
  const rowHeight = 26;
  const labelWidth = 130;
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * rowHeight + 10;
  const rows = bars
    .map((b, i) => {
      const w = Math.max(0, ((width - labelWidth - 70) * b.value) / max);
      const y = i * rowHeight + 5;
      return `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>
<rect class="bar" x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${b.color ?? palette[0]}"><title>${esc(b.label)}: ${esc(b.text ?? b.value)}</title></rect>
<text x="${labelWidth + w + 6}" y="${y + 16}">${esc(b.text ?? b.value)}</text>`;
    })
    .join('\n');
  return `<figure id="${id}"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows}</svg></figure>`;
}

function stackedDailyChart(report: MonthlyReport): string {
  const categories = [...new Set(report.dailyVolume.flatMap((d) => Object.keys(d.byCategory)))].sort();
  const daysInMonth = new Date(Number(report.month.slice(0, 4)), Number(report.month.slice(5, 7)), 0).getDate();
  const byDay = new Map(report.dailyVolume.map((d) => [d.day, d.byCategory]));
  const max = Math.max(1, ...report.dailyVolume.map((d) => Object.values(d.byCategory).reduce((a, b) => a + b, 0)));
  const width = 620;
  const height = 200;
  const slot = (width - 40) / daysInMonth;
  let bars = '';
  for (let day = 1; day <= daysInMonth; day++) {
    let y = height - 20;
    for (const [i, category] of categories.entries()) {
      const n = byDay.get(day)?.[category] ?? 0;
      if (!n) continue;
      const h = ((height - 40) * n) / max;
      y -= h;
      bars += `<rect class="bar" x="${(30 + (day - 1) * slot).toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${palette[i % palette.length]}"><title>${day}: ${esc(category)} ${n}</title></rect>`;
    }
    if (day % 5 === 1) bars += `<text x="${(30 + (day - 1) * slot).toFixed(1)}" y="${height - 4}">${day}</text>`;
  }
  const legend = categories.map((c, i) => `<span class="key" style="background:${palette[i % palette.length]}"></span>${esc(c)}`).join(' ');
  return `<figure id="volume"><figcaption>Complaints received per day, by category</figcaption><svg role="img" aria-label="volume by category" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><text x="2" y="14">${max}</text>${bars}</svg><div class="legend">${legend}</div></figure>`;
}

export function renderMonthlyReport(report: MonthlyReport): string {
  const s = report.satisfaction;
  const bottleneck = report.bottleneck;
  const compliance = reportStages.map((stage) => ({
    label: stage,
    value: (report.stages[stage].complianceRate ?? 0) * 100,
    text: pct(report.stages[stage].complianceRate),
    color: (report.stages[stage].complianceRate ?? 1) >= 0.9 ? palette[1] : palette[3],
  }));
  const stageRows = reportStages
    .map((stage) => {
      const r = report.stages[stage];
      const target = r.target ? `${num(r.target.value, 0)} ${r.target.unit === 'workingHours' ? 'working h' : 'h'}` : '—';
      return `<tr${bottleneck?.stage === stage ? ' class="bottleneck"' : ''}><td>${stage}</td><td>${r.met}</td><td>${r.breached}</td><td>${pct(r.complianceRate)}</td><td>${num(r.hours.mean)}</td><td>${num(r.hours.p50)}</td><td>${num(r.hours.p90)}</td><td>${num(r.workingHours.p90)}</td><td>${target}</td><td>${num(r.p90ToTarget, 2)}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Complaints — monthly report ${esc(report.month)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111;max-width:1000px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.answers{display:flex;gap:16px;margin:16px 0}.answer{border:1px solid #ddd;border-radius:6px;padding:12px 16px;flex:1}
.answer b{display:block;font-size:20px}.ok{color:#15803d}.bad{color:#b91c1c}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:right}td:first-child,th:first-child{text-align:left}
tr.bottleneck{background:#fef2f2;font-weight:600}
figure{margin:12px 0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:4px}svg text{font-size:11px;fill:#374151}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}.legend{font-size:12px}.key{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px}
@media print{body{margin:0}.answers{break-inside:avoid}}
</style></head><body>
<h1>Complaint handling — ${esc(report.month)}</h1>
<div>${report.totals.cases} complaints received; generated ${esc(new Date().toISOString())}</div>
<div class="answers">
<div class="answer" id="bottleneck">Bottleneck stage<b>${bottleneck ? esc(bottleneck.stage) : '—'}</b>${bottleneck ? `p90 is ${num(bottleneck.p90ToTarget, 2)} × its target` : 'no stage measured yet'}</div>
<div class="answer" id="satisfaction">Satisfaction (target ${pct(s.target)})<b class="${s.meetsTarget ? 'ok' : 'bad'}">${pct(s.satisfiedRate)}</b>${s.meetsTarget === null ? 'no answers yet' : s.meetsTarget ? 'target met' : 'below target'} · ${s.responses} answers, mean ${num(s.meanScore, 2)}</div>
<div class="answer">Revisit answered<b>${pct(report.revisit.answerRate)}</b>${report.escalations.escalated} escalated · reopened ${pct(report.reopens.rate)} · remedy cost ${num(report.remedyCost.total, 2)} CNY</div>
</div>
<h2>Stages</h2>
<table><thead><tr><th>stage</th><th>met</th><th>breached</th><th>compliance</th><th>mean h</th><th>p50 h</th><th>p90 h</th><th>p90 working h</th><th>target</th><th>p90 / target</th></tr></thead><tbody>
${stageRows}
</tbody></table>
${stackedDailyChart(report)}
<div class="grid">
${barChart('compliance', 'SLA compliance per stage', compliance, { max: 100, width: 460 })}
${barChart('scores', 'Satisfaction scores', (['1', '2', '3', '4', '5'] as const).map((k) => ({ label: `score ${k}`, value: s.distribution[k], color: Number(k) >= 4 ? palette[1] : palette[2] })), { width: 460 })}
</div>
${barChart('resolve-times', 'Time to resolve', report.resolveTimeBuckets.map((b) => ({ label: b.label, value: b.cases, color: palette[4] })))}
<h2>Volume</h2>
<table><tbody>
${Object.entries(report.totals.byCategory).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join('')}
</tbody></table>
</body></html>`;
}

/** The same figures as CSV: one line per figure, `section,key,metric,value`. */
export function monthlyCsv(report: MonthlyReport): string {
  const rows: Array<[string, string, string, string | number | null]> = [];
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
  for (const d of report.dailyVolume) for (const [category, n] of Object.entries(d.byCategory)) rows.push(['volume', `day:${d.day}:${category}`, 'cases', n]);
  for (const b of report.resolveTimeBuckets) rows.push(['resolve_time', b.label, 'cases', b.cases]);
  rows.push(['bottleneck', report.bottleneck?.stage ?? '', 'p90_to_target', report.bottleneck?.p90ToTarget ?? null]);
  const cell = (v: unknown) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return `section,key,metric,value\n${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
