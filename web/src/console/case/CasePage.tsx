import { useTranslation } from 'react-i18next';
import { useCase, useMe } from '../../api/queries';
import { Badge } from '../../shared/Badge';
import { useTitle } from '../../shared/hooks';
import { SlaBadge } from '../../shared/SlaBadge';
import { StatusBadge } from '../../shared/StatusBadge';
import { LoadFailed, Loading } from '../../shared/States';
import { Time } from '../../shared/Time';
import { Timeline } from '../../shared/Timeline';
import { ConsoleLink } from '../links';
import { ActionsPanel } from './ActionsPanel';
import { ClocksPanel } from './ClocksPanel';
import { ContactPanel } from './ContactPanel';
import { ErasurePanel } from './ErasurePanel';
import { EscalationPanel } from './EscalationPanel';
import { FindingsPanel } from './FindingsPanel';
import { NotificationsPanel } from './NotificationsPanel';
import { OpsPanel } from './OpsPanel';
import { PendingWorkPanel } from './PendingWorkPanel';
import { PlanPanel } from './PlanPanel';
import { QuestionsPanel } from './QuestionsPanel';
import { LinkList } from '../../shared/LinkList';

/** One case for staff, refreshed every second: clocks, breaches, escalation, questions to the consumer, findings, pending work, messages, timeline, and the forms of exactly the actions the API lists (an erased case says so first). */
export function CasePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const query = useCase(id);
  useTitle(query.data ? t('case.title', { product: query.data.productName }) : t('case.case'));
  const c = query.data;
  if (!c) return <section className="page">{query.isError ? <LoadFailed error={query.error} /> : <Loading />}</section>;
  const role = me.data?.role;
  const mayErase = c.actions.some((a) => a.type === 'erasePersonalData');
  return (
    <section className="page wide">
      <p className="breadcrumb">
        <ConsoleLink to={role === 'department' ? '/inbox' : '/queue'}>{role === 'department' ? t('nav.inbox') : t('nav.queue')}</ConsoleLink>
        <span aria-hidden="true"> / </span>
        <code>{c.id}</code>
      </p>
      <div className="page-head">
        <div>
          <h1>{c.productName}</h1>
          <p className="card-meta">
            {t('portal.orderNumber', { order: c.orderId })} · {t(`category.${c.category}`)} · {t(`channel.${c.channel}`)} · {t('case.opened')}{' '}
            <Time iso={c.createdAt} timeZone={c.timeZone} />
          </p>
        </div>
        <div className="head-badges">
          <StatusBadge status={c.status} />
          <Badge tone={c.severity === 'urgent' ? 'red' : c.severity === 'complex' ? 'amber' : 'grey'}>{t(`severity.${c.severity}`)}</Badge>
          <Badge tone={c.escalationLevel > 1 ? 'amber' : 'grey'}>{t('case.levelShort', { level: c.escalationLevel })}</Badge>
          <SlaBadge sla={c.sla} />
        </div>
      </div>
      {c.erasedAt && (
        <div className="alert alert-warn" role="status">
          <p className="alert-title">
            {t('erasure.bannerTitle')} <Time iso={c.erasedAt} timeZone={c.timeZone} />
          </p>
          <p>{t('erasure.bannerBody')}</p>
        </div>
      )}
      <div className="columns">
        <div className="column-main">
          <ActionsPanel complaint={c} />
          <ClocksPanel complaint={c} />
          <section className="panel" aria-labelledby="description">
            <h2 id="description">{t('case.complaint')}</h2>
            <p className="prewrap">{c.description}</p>
            <LinkList links={c.evidence} />
          </section>
          <QuestionsPanel complaint={c} />
          <FindingsPanel complaint={c} />
          <PlanPanel complaint={c} />
          <section className="panel" aria-labelledby="timeline">
            <h2 id="timeline">{t('case.timeline')}</h2>
            <Timeline events={c.timeline} timeZone={c.timeZone} staff questions={c.informationRequests} />
          </section>
        </div>
        <aside className="column-side" aria-label={t('case.details')}>
          <ContactPanel complaint={c} />
          <EscalationPanel complaint={c} />
          <PendingWorkPanel complaint={c} />
          {role && ['agent', 'supervisor', 'ops'].includes(role) && <NotificationsPanel complaint={c} />}
          {mayErase && <ErasurePanel complaint={c} />}
          {role === 'ops' && <OpsPanel complaint={c} />}
        </aside>
      </div>
    </section>
  );
}
