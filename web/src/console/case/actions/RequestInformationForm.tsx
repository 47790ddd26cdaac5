import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import type { BodyOf } from '../../../api/types';
import { TextArea } from '../../../shared/Field';
import { ActionForm } from './ActionForm';
import { NeededItems } from './NeededItems';
import { api, headers, invalidateCase, ok } from './post';

type Question = BodyOf<'/api/v1/complaints/{id}/information-request'>;

/** Asks the consumer a question, with what they should send (when the API lists requestInformation). */
export function RequestInformationForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [question, setQuestion] = useState('');
  const [needed, setNeeded] = useState<string[]>([]);
  const s = useSubmission(
    (body: Question, key: string) => ok(api.POST('/api/v1/complaints/{id}/information-request', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => { setQuestion(''); setNeeded([]); } },
  );
  const submit = () => {
    const items = needed.map((x) => x.trim()).filter(Boolean);
    setNeeded(items);
    s.submit({ question, ...(items.length ? { needed: items } : {}) });
  };
  return (
    <ActionForm title={t('actions.requestInformation')} submitLabel={t('actions.requestInformationSubmit')} onSubmit={submit}
      pending={s.pending} problem={s.problem} placed={['question', 'needed']}>
      <TextArea label={t('actions.question')} required rows={3} value={question} onChange={(e) => setQuestion(e.target.value)}
        error={s.fieldErrors.question} hint={t('actions.questionHint')} />
      <NeededItems items={needed} onChange={setNeeded} errors={s.fieldErrors} max={10} />
    </ActionForm>
  );
}
