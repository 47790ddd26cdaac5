import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { Countdown } from '../../shared/Countdown';
import { shortId } from '../../shared/format';
import { SlaBadge } from '../../shared/SlaBadge';
import { StatusBadge } from '../../shared/StatusBadge';
import { Time } from '../../shared/Time';
import { zoneOf } from '../../shared/zone';
import { ConsoleLink } from '../links';

/** Cases as rows: the SLA badge (the API's) and a live countdown to the next deadline. */
export function CaseTable({ items, caption, renderExtra }: {
  items: CaseSummary[];
  caption: string;
  /** A row's extra content under it (the inbox's inline findings form). */
  renderExtra?: (item: CaseSummary) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('queue.case')}</th>
            <th scope="col">{t('queue.category')}</th>
            <th scope="col">{t('queue.status')}</th>
            <th scope="col">{t('queue.departments')}</th>
            <th scope="col">{t('queue.sla')}</th>
            <th scope="col">{t('queue.nextDeadline')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <Row key={c.id} c={c} extra={renderExtra?.(c)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ c, extra }: { c: CaseSummary; extra: ReactNode }) {
  const { t } = useTranslation();
  const zone = zoneOf(c);
  return (
    <>
      <tr>
        <th scope="row" className="case-cell">
          <ConsoleLink to="/complaints/$id" params={{ id: c.id }} className="case-link">
            {c.productName}
          </ConsoleLink>
          <span className="case-sub">
            <code title={c.id}>#{shortId(c.id)}</code>
            {c.severity !== 'general' && <Badge tone={c.severity === 'urgent' ? 'red' : 'amber'}>{t(`severity.${c.severity}`)}</Badge>}
            {c.escalationLevel > 1 && <Badge tone="amber">{t('case.levelShort', { level: c.escalationLevel })}</Badge>}
          </span>
        </th>
        <td>{t(`category.${c.category}`)}</td>
        <td>
          <StatusBadge status={c.status} />
        </td>
        <td>{c.departments.length ? c.departments.map((d) => t(`department.${d}`)).join(t('common.listSeparator')) : <span className="muted">—</span>}</td>
        <td>
          <SlaBadge sla={c.sla} />
        </td>
        <td className="deadline-cell">
          {c.nextDeadline ? (
            <>
              <span className="deadline-stage">{c.nextDeadlineStage ? t(`stage.${c.nextDeadlineStage}`) : ''}</span>
              <Time iso={c.nextDeadline} timeZone={zone} />
              <Countdown dueAt={c.nextDeadline} />
            </>
          ) : (
            <span className="muted">{t('queue.noDeadline')}</span>
          )}
        </td>
      </tr>
      {extra && (
        <tr className="row-extra">
          <td colSpan={6}>{extra}</td>
        </tr>
      )}
    </>
  );
}
