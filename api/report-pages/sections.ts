import { reportStages } from '../../domain/report-facts';
import type { MonthlyReport, SummaryReport } from '../../services/reports';
import { barChart, esc, num, palette, pct } from './charts';

type Report = SummaryReport & Pick<MonthlyReport, 'resolveTimeBuckets'>;

/**
 * A report page's body for any period: the two answers (bottleneck stage, satisfaction against
 * 90 %), the stages table, the volume chart given, compliance, scores and time to resolve.
 */
export function reportSections(report: Report, volumeChart: string): string {
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
  return `<div class="answers">
<div class="answer" id="bottleneck">Bottleneck stage<b>${bottleneck ? esc(bottleneck.stage) : '—'}</b>${bottleneck ? `p90 is ${num(bottleneck.p90ToTarget, 2)} × its target` : 'no stage measured yet'}</div>
<div class="answer" id="satisfaction">Satisfaction (target ${pct(s.target)})<b class="${s.meetsTarget ? 'ok' : 'bad'}">${pct(s.satisfiedRate)}</b>${s.meetsTarget === null ? 'no answers yet' : s.meetsTarget ? 'target met' : 'below target'} · ${s.responses} answers, mean ${num(s.meanScore, 2)}</div>
<div class="answer">Revisit answered<b>${pct(report.revisit.answerRate)}</b>${report.escalations.escalated} escalated · reopened ${pct(report.reopens.rate)} · remedy cost ${num(report.remedyCost.total, 2)} CNY</div>
</div>
<h2>Stages</h2>
<table><thead><tr><th>stage</th><th>met</th><th>breached</th><th>compliance</th><th>mean h</th><th>p50 h</th><th>p90 h</th><th>p90 working h</th><th>target</th><th>p90 / target</th></tr></thead><tbody>
${stageRows}
</tbody></table>
${volumeChart}
<div class="grid">
${barChart('compliance', 'SLA compliance per stage', compliance, { max: 100, width: 460 })}
${barChart('scores', 'Satisfaction scores', (['1', '2', '3', '4', '5'] as const).map((k) => ({ label: `score ${k}`, value: s.distribution[k], color: Number(k) >= 4 ? palette[1] : palette[2] })), { width: 460 })}
</div>
${barChart('resolve-times', 'Time to resolve', report.resolveTimeBuckets.map((b) => ({ label: b.label, value: b.cases, color: palette[4] })))}
<h2>Volume</h2>
<table><tbody>
${Object.entries(report.totals.byCategory).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join('')}
</tbody></table>
`;
}
