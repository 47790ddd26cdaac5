import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCaseList } from '../../api/queries';
import { useTitle } from '../../shared/hooks';
import { Empty, LoadFailed, Loading } from '../../shared/States';
import { CaseTable } from '../queue/CaseTable';
import { InlineFindings } from './InlineFindings';

/** The department's inbox: its cases awaiting its findings, soonest deadline first (the server scopes them). */
export function InboxPage() {
  const { t } = useTranslation();
  useTitle(t('inbox.title'));
  const [open, setOpen] = useState<string>();
  const list = useCaseList({ awaitingFindings: 'true', sort: 'nextDeadline', limit: 50 });
  return (
    <section className="page wide">
      <div className="page-head">
        <div>
          <h1>{t('inbox.title')}</h1>
          <p className="lead">{t('inbox.lead')}</p>
        </div>
      </div>
      {!list.data ? (
        list.isError ? <LoadFailed error={list.error} /> : <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('inbox.empty')}</Empty>
      ) : (
        <CaseTable
          items={list.data.items}
          caption={t('inbox.title')}
          renderExtra={(c) => (
            <div className="inline-answer">
              <button type="button" className="button button-secondary" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? undefined : c.id)}>
                {open === c.id ? t('inbox.close') : t('inbox.answer')}
              </button>
              {open === c.id && <InlineFindings id={c.id} />}
            </div>
          )}
        />
      )}
    </section>
  );
}
