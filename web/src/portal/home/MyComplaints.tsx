import { useTranslation } from 'react-i18next';
import { useCaseList } from '../../api/queries';
import { useTitle } from '../../shared/hooks';
import { StatusBadge } from '../../shared/StatusBadge';
import { Empty, LoadFailed, Loading } from '../../shared/States';
import { Time } from '../../shared/Time';
import { zoneOf } from '../../shared/zone';
import { PortalLink } from '../links';

/** "My complaints": the consumer's own cases (the server lists only theirs), newest first. */
export function MyComplaints() {
  const { t } = useTranslation();
  useTitle(t('portal.myComplaints'));
  const list = useCaseList({ sort: 'newest', limit: 50 });
  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>{t('portal.myComplaints')}</h1>
          <p className="lead">{t('portal.myComplaintsLead')}</p>
        </div>
        <PortalLink to="/new" className="button">
          {t('portal.newComplaint')}
        </PortalLink>
      </div>
      {!list.data ? (
        list.isError ? <LoadFailed error={list.error} /> : <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('portal.noComplaints')}</Empty>
      ) : (
        <ul className="card-list">
          {list.data.items.map((c) => (
            <li key={c.id} className="card">
              <div className="card-main">
                <h2 className="card-title">
                  <PortalLink to="/complaints/$id" params={{ id: c.id }}>
                    {c.productName}
                  </PortalLink>
                </h2>
                <p className="card-meta">
                  {t('portal.orderNumber', { order: c.orderId })} · {t(`category.${c.category}`)} ·{' '}
                  {t('portal.openedAt')} <Time iso={c.createdAt} timeZone={zoneOf(c)} />
                </p>
              </div>
              <StatusBadge status={c.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
