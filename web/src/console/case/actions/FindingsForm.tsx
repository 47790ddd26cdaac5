import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmission } from '../../../api/submission';
import { responsibleParties, type Department, type ResponsibleParty } from '../../../api/types';
import { EvidenceLinks, filledLinks } from '../../../shared/EvidenceLinks';
import { SelectField, TextArea } from '../../../shared/Field';
import { ActionForm } from './ActionForm';
import { api, headers, invalidateCase, ok } from './post';

interface FindingsBody {
  department: Department;
  summary: string;
  responsibleParty: ResponsibleParty;
  evidence?: string[];
}

/** A department's findings: for one of the departments the API lists for the caller. */
export function FindingsForm({ id, departments, compact = false }: { id: string; departments: Department[]; compact?: boolean }) {
  const { t } = useTranslation();
  const [department, setDepartment] = useState<Department | ''>(departments.length === 1 ? departments[0]! : '');
  const [summary, setSummary] = useState('');
  const [party, setParty] = useState<ResponsibleParty | ''>('');
  const [evidence, setEvidence] = useState<string[]>([]);
  const s = useSubmission(
    (body: FindingsBody, key: string) => ok(api.POST('/api/v1/complaints/{id}/findings', { params: headers(id, key), body })),
    { ...invalidateCase(id), onSuccess: () => { setSummary(''); setParty(''); setEvidence([]); } },
  );
  const submit = () => {
    const links = filledLinks(evidence);
    setEvidence(links);
    s.submit({ department: department as Department, summary, responsibleParty: party as ResponsibleParty, ...(links.length ? { evidence: links } : {}) });
  };
  const title = departments.length === 1 ? t('actions.findingsFor', { department: t(`department.${departments[0]!}`) }) : t('actions.findings');
  return (
    <ActionForm title={title} submitLabel={t('actions.findingsSubmit')} onSubmit={submit} pending={s.pending} problem={s.problem}
      placed={['department', 'summary', 'responsibleParty', 'evidence']}>
      {departments.length > 1 && (
        <SelectField label={t('actions.department')} value={department} onChange={setDepartment} error={s.fieldErrors.department} required
          options={[{ value: '', label: t('form.choose') }, ...departments.map((d) => ({ value: d, label: t(`department.${d}`) }))]} />
      )}
      <TextArea label={t('actions.summary')} required rows={compact ? 3 : 5} value={summary} onChange={(e) => setSummary(e.target.value)} error={s.fieldErrors.summary} />
      <SelectField label={t('actions.responsibleParty')} value={party} onChange={setParty} error={s.fieldErrors.responsibleParty} required
        options={[{ value: '', label: t('form.choose') }, ...responsibleParties.map((p) => ({ value: p, label: t(`party.${p}`) }))]} />
      <EvidenceLinks links={evidence} onChange={setEvidence} errors={s.fieldErrors} />
    </ActionForm>
  );
}
