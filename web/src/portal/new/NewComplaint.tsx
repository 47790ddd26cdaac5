import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { queryKeys } from '../../api/queries';
import { useSubmission } from '../../api/submission';
import { categories, type Category, type NewComplaint as NewComplaintBody } from '../../api/types';
import { EvidenceLinks, filledLinks } from '../../shared/EvidenceLinks';
import { SelectField, TextArea, TextField } from '../../shared/Field';
import { useTitle } from '../../shared/hooks';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useLanguage } from '../../shared/Time';
import { PortalLink, usePortalNavigate } from '../links';

interface Draft {
  orderId: string;
  productName: string;
  description: string;
  category: Category | '';
  name: string;
  phone: string;
  email: string;
  evidence: string[];
}
const empty: Draft = { orderId: '', productName: '', description: '', category: '', name: '', phone: '', email: '', evidence: [] };

/** Fields the form shows the server's errors next to (the banner lists any other). */
const placed = ['orderId', 'productName', 'description', 'category', 'contact.name', 'contact.phone', 'contact.email', 'contact'];

/**
 * Opening a complaint on the website (channel `web`). The server validates; its errors appear
 * next to their fields. One Idempotency-Key per submission: a double submit opens one case.
 */
export function NewComplaint() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const navigate = usePortalNavigate();
  useTitle(t('intake.title'));
  const [draft, setDraft] = useState<Draft>(empty);
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submission = useSubmission(
    (body: NewComplaintBody, key: string) =>
      ok(api.POST('/api/v1/complaints', { body, params: { header: { 'idempotency-key': key } } })),
    { invalidate: [queryKeys.cases], onSuccess: (created) => void navigate({ to: '/complaints/$id', params: { id: created.id } }) },
  );
  const errors = submission.fieldErrors;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const evidence = filledLinks(draft.evidence);
    setDraft((d) => ({ ...d, evidence }));
    submission.submit({
      orderId: draft.orderId,
      productName: draft.productName,
      description: draft.description,
      channel: 'web',
      locale: lang,
      ...(draft.category ? { category: draft.category } : {}),
      contact: {
        name: draft.name,
        ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
        ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
      },
      ...(evidence.length ? { evidence } : {}),
    } as NewComplaintBody);
  };

  const existingId = submission.problem?.status === 409 ? submission.problem.problem.existingId : undefined;
  return (
    <section className="page narrow">
      <h1>{t('intake.title')}</h1>
      <p className="lead">{t('intake.lead')}</p>
      <form className="panel form" onSubmit={onSubmit} noValidate aria-describedby="intake-required">
        <p id="intake-required" className="hint">
          {t('form.requiredNote')}
        </p>
        {existingId ? (
          <div className="alert alert-warn" role="alert">
            <p className="alert-title">{t('intake.duplicateTitle')}</p>
            <p>{t('intake.duplicateBody')}</p>
            <PortalLink to="/complaints/$id" params={{ id: existingId }}>
              {t('intake.openExisting')}
            </PortalLink>
          </div>
        ) : (
          <ProblemAlert problem={submission.problem} isPlaced={(path) => placed.includes(path) || path.startsWith('evidence')} />
        )}
        <fieldset>
          <legend>{t('intake.purchase')}</legend>
          <div className="grid-2">
            <TextField label={t('intake.orderId')} required value={draft.orderId} onChange={(e) => set('orderId')(e.target.value)} error={errors.orderId} autoComplete="off" />
            <TextField label={t('intake.productName')} required value={draft.productName} onChange={(e) => set('productName')(e.target.value)} error={errors.productName} />
          </div>
          <SelectField
            label={t('intake.category')}
            value={draft.category}
            onChange={set('category')}
            error={errors.category}
            options={[{ value: '', label: t('intake.categoryUnsure') }, ...categories.map((c) => ({ value: c, label: t(`category.${c}`) }))]}
          />
          <TextArea
            label={t('intake.description')}
            required
            rows={6}
            value={draft.description}
            onChange={(e) => set('description')(e.target.value)}
            error={errors.description}
            hint={t('intake.descriptionHint')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('intake.contact')}</legend>
          <p className="hint">{t('intake.contactHint')}</p>
          {errors.contact && <p className="field-error">{errors.contact}</p>}
          <TextField label={t('intake.name')} required value={draft.name} onChange={(e) => set('name')(e.target.value)} error={errors['contact.name']} autoComplete="name" />
          <div className="grid-2">
            <TextField label={t('intake.phone')} type="tel" value={draft.phone} onChange={(e) => set('phone')(e.target.value)} error={errors['contact.phone']} autoComplete="tel" />
            <TextField label={t('intake.email')} type="email" value={draft.email} onChange={(e) => set('email')(e.target.value)} error={errors['contact.email']} autoComplete="email" />
          </div>
        </fieldset>
        <EvidenceLinks links={draft.evidence} onChange={set('evidence')} errors={errors} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={submission.pending} aria-disabled={submission.pending}>
            {submission.pending ? t('form.sending') : t('intake.submit')}
          </button>
          <PortalLink to="/" className="button button-quiet">
            {t('form.cancel')}
          </PortalLink>
        </div>
      </form>
    </section>
  );
}
