import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import type { BodyOf, CaseDetail, InformationRequest } from '../../api/types';
import { Countdown } from '../../shared/Countdown';
import { EvidenceLinks, filledLinks } from '../../shared/EvidenceLinks';
import { TextArea } from '../../shared/Field';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { formatTime } from '../../shared/format';
import { useLanguage } from '../../shared/Time';

type Answer = BodyOf<'/api/v1/complaints/{id}/information'>;

/**
 * The question the case waits on: what we asked, what to send, until when; and, when `actions`
 * has provideInformation, the answer form (text and evidence links).
 */
export function QuestionPanel({ complaint, question, canAnswer }: { complaint: CaseDetail; question: InformationRequest; canAnswer: boolean }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [text, setText] = useState('');
  const [evidence, setEvidence] = useState<string[]>([]);
  const answer = useSubmission(
    (body: Answer, key: string) =>
      ok(api.POST('/api/v1/complaints/{id}/information', { params: { path: { id: complaint.id }, header: { 'idempotency-key': key } }, body })),
    { invalidate: [queryKeys.case(complaint.id), queryKeys.cases], onSuccess: () => { setText(''); setEvidence([]); } },
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const links = filledLinks(evidence);
    setEvidence(links);
    answer.submit({ text, ...(links.length ? { evidence: links } : {}) });
  };
  return (
    <section className="panel panel-highlight" aria-labelledby="question">
      <h2 id="question">{t('question.title')}</h2>
      <p>{t('question.lead')}</p>
      <blockquote className="question prewrap">{question.question}</blockquote>
      {question.needed && question.needed.length > 0 && (
        <>
          <h3>{t('question.neededLegend')}</h3>
          <ul className="question-list">
            {question.needed.map((item, i) => <li key={`${i}-${item}`}>{item}</li>)}
          </ul>
        </>
      )}
      <p className="question-due">
        <strong>{t('question.answerBy', { time: formatTime(question.replyBy, complaint.timeZone, lang) })}</strong> <Countdown dueAt={question.replyBy} />
      </p>
      {question.pausedStages.length > 0 && <p className="muted">{t('question.paused')}</p>}
      {canAnswer && (
        <form className="form" onSubmit={onSubmit} noValidate>
          <ProblemAlert problem={answer.problem} isPlaced={(p) => p === 'text' || p.startsWith('evidence')} />
          <TextArea label={t('question.answer')} required rows={5} value={text} onChange={(e) => setText(e.target.value)} error={answer.fieldErrors.text}
            hint={t('question.answerHint')} />
          <EvidenceLinks links={evidence} onChange={setEvidence} errors={answer.fieldErrors} max={10} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={answer.pending}>
              {answer.pending ? t('form.sending') : t('question.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
