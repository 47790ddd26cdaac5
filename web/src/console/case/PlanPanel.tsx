import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { formatMoney } from '../../shared/format';
import { Time, useLanguage } from '../../shared/Time';

/** The plan as it stands and every version proposed (timeline), with the consumer's answer to each. */
export function PlanPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const plan = complaint.plan;
  const versions = complaint.timeline.filter((e) => e.type === 'plan_proposed');
  if (!plan && versions.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="plan">
      <div className="panel-head">
        <h2 id="plan">{t('plan.title')}</h2>
        {plan && <span className="muted">{t('plan.version', { version: plan.version })}</span>}
      </div>
      {plan && (
        <dl className="facts">
          <dt>{t('plan.remedy')}</dt>
          <dd>{t(`remedy.${plan.remedy}`)}</dd>
          {plan.amount !== undefined && (<><dt>{t('plan.amount')}</dt><dd>{formatMoney(plan.amount, plan.currency, lang)}</dd></>)}
          <dt>{t('plan.description')}</dt>
          <dd className="prewrap">{plan.description}</dd>
        </dl>
      )}
      <h3>{t('plan.versions')}</h3>
      <ol className="plain-list stack">
        {versions.map((e, i) => {
          const version = Number(e.data?.version);
          const answer = complaint.feedback.filter((f) => f.planVersion === version).at(-1);
          return (
            <li key={`${e.at}-${i}`}>
              <strong>{t('plan.version', { version })}</strong> · {t(`remedy.${String(e.data?.remedy) as 'other'}`, { defaultValue: String(e.data?.remedy ?? '') })}{' '}
              {answer ? (
                <Badge tone={answer.accepted ? 'green' : 'red'}>{answer.accepted ? t('plan.accepted') : t('plan.rejected')}</Badge>
              ) : (
                <Badge tone="grey">{t('plan.noAnswer')}</Badge>
              )}
              {answer?.comment && <span className="sub">“{answer.comment}”</span>}
              <span className="sub"><Time iso={e.at} timeZone={complaint.timeZone} /></span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
