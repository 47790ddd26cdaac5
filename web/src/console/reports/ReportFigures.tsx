import { useTranslation } from 'react-i18next';
import { reportStages, type SummaryReport } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { formatMoney, formatNumber, formatPercent } from '../../shared/format';
import { useLanguage } from '../../shared/Time';
import { BarChart } from './BarChart';
import { complianceBar } from './words';

type Counts = Record<string, number>;

/** The figures of a report: key numbers (with the reopen rate), SLA compliance and times by stage, volumes, satisfaction, escalations, cost. */
export function ReportFigures({ report }: { report: SummaryReport }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const s = report.satisfaction;
  const counts = (c: Counts, label: (k: string) => string) =>
    Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, n]) => ({ label: label(k), value: n, text: formatNumber(n, lang) }));
  const known = <T extends string>(prefix: T, k: string) => t(`${prefix}.${k}` as 'status.closed', { defaultValue: k });
  return (
    <>
      <div className="tiles">
        <div className="tile tile-static">
          <span className="tile-count">{formatNumber(report.totals.cases, lang)}</span>
          <span className="tile-label">{t('reports.totalCases')}</span>
        </div>
        <div className="tile tile-static">
          <span className="tile-count">{formatPercent(s.satisfiedRate, lang)}</span>
          <span className="tile-label">{t('reports.satisfied', { target: formatPercent(s.target, lang) })}</span>
          {s.meetsTarget !== null && <Badge tone={s.meetsTarget ? 'green' : 'red'}>{s.meetsTarget ? t('reports.meetsTarget') : t('reports.belowTarget')}</Badge>}
        </div>
        <div className="tile tile-static">
          <span className="tile-count">{s.meanScore === null ? '—' : formatNumber(s.meanScore, lang, { maximumFractionDigits: 2 })}</span>
          <span className="tile-label">{t('reports.meanScore', { n: s.responses })}</span>
        </div>
        <div className="tile tile-static">
          <span className="tile-count">{formatNumber(report.escalations.escalated, lang)}</span>
          <span className="tile-label">{t('reports.escalated')}</span>
        </div>
        <div className="tile tile-static">
          <span className="tile-count">{formatPercent(report.reopens.rate, lang)}</span>
          <span className="tile-label">{t('reports.reopened', { reopened: formatNumber(report.reopens.reopened, lang), closed: formatNumber(report.reopens.closed, lang) })}</span>
        </div>
        <div className="tile tile-static">
          <span className="tile-count tile-count-small">{formatMoney(report.remedyCost.total, 'CNY', lang)}</span>
          <span className="tile-label">{t('reports.remedyCost')}</span>
        </div>
        <div className="tile tile-static">
          <span className="tile-count tile-count-small">{report.bottleneck ? t(`stage.${report.bottleneck.stage as 'plan'}`) : '—'}</span>
          <span className="tile-label">
            {report.bottleneck ? t('reports.bottleneck', { ratio: formatNumber(report.bottleneck.p90ToTarget, lang, { maximumFractionDigits: 2 }) }) : t('reports.noBottleneck')}
          </span>
        </div>
      </div>

      <section className="panel" aria-labelledby="sla-stage">
        <h2 id="sla-stage">{t('reports.slaByStage')}</h2>
        <BarChart title={t('reports.slaByStageChart')} max={1} bars={reportStages.map((st) => complianceBar(t(`stage.${st}`), report.stages[st], t, lang))} />
        <div className="table-wrap">
          <table className="table table-compact">
            <caption>{t('reports.stageTimes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('clocks.stage')}</th>
                <th scope="col">{t('reports.open')}</th>
                <th scope="col">{t('reports.p50')}</th>
                <th scope="col">{t('reports.p90')}</th>
                <th scope="col">{t('reports.target')}</th>
                <th scope="col">{t('reports.p90ToTarget')}</th>
              </tr>
            </thead>
            <tbody>
              {reportStages.map((st) => {
                const r = report.stages[st];
                const unit = r.target?.unit === 'workingHours' ? r.workingHours : r.hours;
                const h = (v: number | null) => (v === null ? '—' : t(r.target?.unit === 'workingHours' ? 'reports.workingHours' : 'reports.hours', { n: formatNumber(v, lang, { maximumFractionDigits: 1 }) }));
                return (
                  <tr key={st}>
                    <th scope="row">{t(`stage.${st}`)}</th>
                    <td>{r.open}</td>
                    <td>{h(unit.p50)}</td>
                    <td>{h(unit.p90)}</td>
                    <td>{r.target ? h(r.target.value) : '—'}</td>
                    <td>{r.p90ToTarget === null ? '—' : formatNumber(r.p90ToTarget, lang, { maximumFractionDigits: 2 })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="volumes">
        <h2 id="volumes">{t('reports.volumes')}</h2>
        <div className="chart-grid">
          <BarChart title={t('reports.volumeByCategory')} bars={counts(report.totals.byCategory, (k) => known('category', k))} />
          <BarChart title={t('reports.volumeByStatus')} bars={counts(report.totals.byStatus, (k) => known('status', k))} />
          <BarChart title={t('reports.volumeByChannel')} bars={counts(report.totals.byChannel, (k) => known('channel', k))} />
          <BarChart title={t('reports.volumeByDepartment')} bars={counts(report.totals.byDepartment, (k) => known('department', k))} />
        </div>
      </section>

      <section className="panel" aria-labelledby="satisfaction">
        <h2 id="satisfaction">{t('reports.satisfaction')}</h2>
        <div className="chart-grid">
          <BarChart title={t('reports.scoreDistribution', { n: s.responses })}
            bars={(['5', '4', '3', '2', '1'] as const).map((k) => ({ label: t('rate.score', { score: k }), value: s.distribution[k] ?? 0, text: formatNumber(s.distribution[k] ?? 0, lang) }))} />
          <BarChart title={t('reports.escalationsByLevel')} bars={counts(report.escalations.byLevel, (k) => t('case.levelShort', { level: k }))} />
        </div>
        <p className="muted">
          {t('reports.revisit', { answered: report.revisit.answered, noAnswer: report.revisit.noAnswer, rate: formatPercent(report.revisit.answerRate, lang) })}
        </p>
        {Object.keys(report.remedyCost.byRemedy).length > 0 && (
          <BarChart title={t('reports.costByRemedy')}
            bars={Object.entries(report.remedyCost.byRemedy).map(([k, v]) => ({ label: known('remedy', k), value: v.total, text: `${formatMoney(v.total, 'CNY', lang)} · ${t('reports.cases', { n: v.cases })}` }))} />
        )}
      </section>
    </>
  );
}
