import { useTranslation } from 'react-i18next';
import type { StageComparison } from '../../../api/types';
import { formatNumber, formatPercent, formatSigned } from '../../../shared/format';
import { useLanguage } from '../../../shared/Time';

/** Per stage and severity, now beside the candidate: missed deadlines, compliance, how far the deadlines move. */
export function WhatIfStages({ stages }: { stages: StageComparison[] }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const hours = (v: number | null) => (v === null ? '—' : t('reports.hours', { n: formatSigned(v, lang) }));
  // The candidate's figure stands out where it differs from today's.
  const beside = (now: string, candidate: string) => (now === candidate ? candidate : <strong>{candidate}</strong>);
  return (
    <section className="panel" aria-labelledby="what-if-stages">
      <h2 id="what-if-stages">{t('whatIf.byStage')}</h2>
      <div className="table-wrap">
        <table className="table table-compact table-figures">
          <caption className="sr-only">{t('whatIf.byStageCaption')}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>{t('clocks.stage')}</th>
              <th scope="col" rowSpan={2}>{t('whatIf.severity')}</th>
              <th scope="col" rowSpan={2}>{t('whatIf.clocks')}</th>
              <th scope="colgroup" colSpan={2}>{t('whatIf.missed')}</th>
              <th scope="colgroup" colSpan={2}>{t('whatIf.compliance')}</th>
              <th scope="colgroup" colSpan={2}>{t('whatIf.shift')}</th>
            </tr>
            <tr>
              <th scope="col">{t('whatIf.now')}</th>
              <th scope="col">{t('whatIf.candidate')}</th>
              <th scope="col">{t('whatIf.now')}</th>
              <th scope="col">{t('whatIf.candidate')}</th>
              <th scope="col">{t('whatIf.mean')}</th>
              <th scope="col">{t('reports.p90')}</th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s) => (
              <tr key={`${s.stage}-${s.severity}`}>
                <th scope="row">{t(`stage.${s.stage}`)}</th>
                <td>{t(`severity.${s.severity}`)}</td>
                <td>{formatNumber(s.clocks, lang)}</td>
                <td>{formatNumber(s.breachedNow, lang)}</td>
                <td>{beside(formatNumber(s.breachedNow, lang), formatNumber(s.breachedCandidate, lang))}</td>
                <td>{formatPercent(s.complianceNow, lang)}</td>
                <td>{beside(formatPercent(s.complianceNow, lang), formatPercent(s.complianceCandidate, lang))}</td>
                <td>{hours(s.deadlineShiftHours.mean)}</td>
                <td>{hours(s.deadlineShiftHours.p90)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
