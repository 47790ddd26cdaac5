import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import type { StuckCase } from '../../api/types';
import { Badge } from '../../shared/Badge';
import { shortId } from '../../shared/format';
import { Empty, LoadFailed, Loading } from '../../shared/States';
import { Time } from '../../shared/Time';
import { defaultTimeZone } from '../../shared/zone';
import { ConsoleLink } from '../links';
import { RepairForm } from './RepairForms';

/** The stuck scan describes every running workflow: polled every 5 s, not every second. */
const stuckPollMs = 5000;

export function StuckCases() {
  const { t } = useTranslation();
  const stuck = useQuery({ queryKey: queryKeys.stuck, queryFn: () => ok(api.GET('/api/v1/ops/stuck', { params: { query: {} } })), refetchInterval: stuckPollMs });
  return (
    <section className="panel" aria-labelledby="stuck">
      <div className="panel-head">
        <h2 id="stuck">{t('ops.stuck')}</h2>
        <span className="muted">{stuck.data ? t('ops.stuckCount', { n: stuck.data.items.length }) : ''}</span>
      </div>
      {!stuck.data ? (
        stuck.isError ? <LoadFailed error={stuck.error} /> : <Loading />
      ) : stuck.data.items.length === 0 ? (
        <Empty>{t('ops.noStuck')}</Empty>
      ) : (
        <ul className="stuck-list">
          {stuck.data.items.map((s) => (
            <StuckRow key={`${s.id}-${s.reason}-${s.detail}`} s={s} />
          ))}
        </ul>
      )}
    </section>
  );
}

function StuckRow({ s }: { s: StuckCase }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'retry' | 'reset' | undefined>();
  return (
    <li className="stuck">
      <div className="stuck-head">
        <ConsoleLink to="/complaints/$id" params={{ id: s.id }} className="case-link">
          #{shortId(s.id)}
        </ConsoleLink>
        <Badge tone={s.reason === 'overdue_idle' ? 'amber' : 'red'}>{t(`stuckReason.${s.reason}`)}</Badge>
        {s.status && <span className="muted">{s.status}</span>}
        {s.attempts !== undefined && <span className="muted">{t('pending.attempt', { attempt: s.attempts })}</span>}
      </div>
      <p className="stuck-detail">{s.detail}</p>
      {s.lastFailure && <p className="sub late">{t('pending.lastFailure', { failure: s.lastFailure })}</p>}
      {s.nextAttemptAt && <p className="sub">{t('pending.nextAttempt')} <Time iso={s.nextAttemptAt} timeZone={defaultTimeZone} /></p>}
      <p className="what-to-do">
        <strong>{t('ops.whatToDo')}</strong> {t(`stuckAdvice.${s.reason}`)}
        <span className="sub">{s.suggestedAction}</span>
      </p>
      <div className="form-actions">
        <button type="button" className="button button-secondary" aria-expanded={open === 'retry'} onClick={() => setOpen(open === 'retry' ? undefined : 'retry')}>
          {t('ops.retry')}
        </button>
        <button type="button" className="button button-secondary" aria-expanded={open === 'reset'} onClick={() => setOpen(open === 'reset' ? undefined : 'reset')}>
          {t('ops.reset')}
        </button>
      </div>
      {open && <RepairForm id={s.id} kind={open} />}
    </li>
  );
}
