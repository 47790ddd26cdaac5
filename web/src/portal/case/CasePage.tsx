import { useIsMutating, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mutationKeys, queryKeys, useCase, useMe } from '../../api/queries';
import type { ActionType, ErasureAnswer } from '../../api/types';
import { useTitle } from '../../shared/hooks';
import { openQuestion } from '../../shared/questions';
import { StatusBadge } from '../../shared/StatusBadge';
import { LoadFailed, Loading } from '../../shared/States';
import { Time } from '../../shared/Time';
import { Timeline } from '../../shared/Timeline';
import { CaseFacts } from './CaseFacts';
import { EraseMyData, ErasedConfirmation } from './EraseMyData';
import { PlanPanel } from './PlanPanel';
import { QuestionPanel } from './QuestionPanel';
import { RateSatisfaction } from './RateSatisfaction';
import { ReopenCase } from './ReopenCase';
import { WhereItStands } from './WhereItStands';
import { WithdrawCase } from './WithdrawCase';

/**
 * One case in plain language, refreshed every second: where it stands, what it waits on, and
 * what the consumer can do. Once its owner has had their personal data erased the case is no
 * longer theirs (404): the page stops asking for it and confirms the erasure instead.
 */
export function CasePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [erased, setErased] = useState<{ answer: ErasureAnswer; timeZone: string }>();
  const erasing = useIsMutating({ mutationKey: mutationKeys.erasure(id) }) > 0;
  const query = useCase(id, !erasing && !erased);
  useTitle(
    erased ? t(erased.answer.status === 'erased' ? 'erase.doneTitle' : 'erase.pendingTitle')
      : query.data ? t('portal.caseTitle', { product: query.data.productName }) : t('portal.case'),
  );
  const complaint = query.data;
  if (erased) return <ErasedConfirmation answer={erased.answer} timeZone={erased.timeZone} />;
  if (!complaint) {
    return <section className="page">{query.isError ? <LoadFailed error={query.error} /> : <Loading />}</section>;
  }
  const has = (type: ActionType) => complaint.actions.some((a) => a.type === type);
  const onErased = (answer: ErasureAnswer) => {
    setErased({ answer, timeZone: complaint.timeZone });
    // Its copy must not come back from the cache (a back button): the case is gone for its owner.
    queryClient.removeQueries({ queryKey: queryKeys.case(id), exact: true });
  };
  const question = openQuestion(complaint);
  return (
    <section className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">{t('portal.caseNumber', { id: complaint.id })}</p>
          <h1>{complaint.productName}</h1>
          <p className="card-meta">
            {t('portal.orderNumber', { order: complaint.orderId })} · {t('portal.openedAt')} <Time iso={complaint.createdAt} timeZone={complaint.timeZone} />
          </p>
        </div>
        <StatusBadge status={complaint.status} />
      </div>
      <div className="columns">
        <div className="column-main">
          <WhereItStands complaint={complaint} />
          {question && <QuestionPanel complaint={complaint} question={question} canAnswer={has('provideInformation')} />}
          {has('reopen') && <ReopenCase id={complaint.id} />}
          {complaint.plan && <PlanPanel complaint={complaint} canAnswer={has('giveFeedback')} />}
          {has('rateSatisfaction') && <RateSatisfaction id={complaint.id} />}
          {complaint.satisfaction && (
            <section className="panel" aria-labelledby="rated">
              <h2 id="rated">{t('rate.given')}</h2>
              <p>
                {t('rate.score', { score: complaint.satisfaction.score })}
                {complaint.satisfaction.comment ? ` — “${complaint.satisfaction.comment}”` : ''}
              </p>
            </section>
          )}
          <section className="panel" aria-labelledby="history">
            <h2 id="history">{t('case.timeline')}</h2>
            <Timeline events={complaint.timeline} timeZone={complaint.timeZone} staff={false} questions={complaint.informationRequests} {...(me.data ? { ownActor: `consumer:${me.data.sub}` } : {})} />
          </section>
        </div>
        <aside className="column-side" aria-label={t('case.details')}>
          <CaseFacts complaint={complaint} />
          {has('withdraw') && <WithdrawCase id={complaint.id} />}
          {has('erasePersonalData') && <EraseMyData id={complaint.id} onErased={onErased} />}
        </aside>
      </div>
    </section>
  );
}
