import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import { remedies, type CaseDetail, type Remedy } from '../../../api/types';
import { SelectField, TextArea, TextField } from '../../../shared/Field';
import { ActionForm } from './ActionForm';
import { api, headers, invalidateCase, ok } from './post';

interface PlanBody {
  remedy: Remedy;
  description: string;
  amount?: number;
  currency?: string;
}

/** Proposes a plan (a new version when one was rejected; the versions are listed beside). */
export function PlanForm({ id, current }: { id: string; current: CaseDetail['plan'] }) {
  const { t } = useTranslation();
  const [remedy, setRemedy] = useState<Remedy | ''>(current?.remedy ?? '');
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState(current?.amount !== undefined ? String(current.amount) : '');
  const [currency, setCurrency] = useState(current?.currency ?? 'CNY');
  const s = useSubmission(
    (body: PlanBody, key: string) => ok(api.POST('/api/v1/complaints/{id}/plan', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => setDescription('') },
  );
  const submit = () => {
    const n = amount.trim() === '' ? undefined : Number(amount);
    s.submit({
      remedy: remedy as Remedy,
      description,
      ...(n !== undefined ? { amount: Number.isFinite(n) ? n : (amount as unknown as number) } : {}),
      ...(currency.trim() ? { currency: currency.trim() } : {}),
    });
  };
  return (
    <ActionForm title={current ? t('actions.planRevise', { version: current.version + 1 }) : t('actions.plan')} submitLabel={t('actions.planSubmit')}
      onSubmit={submit} pending={s.pending} problem={s.problem} placed={['remedy', 'description', 'amount', 'currency']}>
      <SelectField label={t('plan.remedy')} value={remedy} onChange={setRemedy} error={s.fieldErrors.remedy} required
        options={[{ value: '', label: t('form.choose') }, ...remedies.map((r) => ({ value: r, label: t(`remedy.${r}`) }))]} />
      <TextArea label={t('plan.description')} required rows={4} value={description} onChange={(e) => setDescription(e.target.value)} error={s.fieldErrors.description}
        hint={t('actions.planHint')} />
      <div className="grid-2">
        <TextField label={t('plan.amount')} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={s.fieldErrors.amount} />
        <TextField label={t('actions.currency')} value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())} error={s.fieldErrors.currency}
          hint={t('actions.currencyHint')} />
      </div>
    </ActionForm>
  );
}
