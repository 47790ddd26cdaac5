import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';
import { AcknowledgeForm } from './actions/AcknowledgeForm';
import { AddDepartmentsForm } from './actions/AddDepartmentsForm';
import { EscalateForm } from './actions/EscalateForm';
import { FindingsForm } from './actions/FindingsForm';
import { FulfilmentForm } from './actions/FulfilmentForm';
import { PlanForm } from './actions/PlanForm';
import { ReopenForm } from './actions/ReopenForm';
import { RequestInformationForm } from './actions/RequestInformationForm';

/** The forms of exactly the actions the API lists for the caller now, nothing else. */
export function ActionsPanel({ complaint }: { complaint: CaseDetail }) {
  const { t } = useTranslation();
  const forms = complaint.actions.map((action) => {
    switch (action.type) {
      case 'acknowledge':
        return <AcknowledgeForm key={action.type} id={complaint.id} />;
      case 'addDepartments':
        return <AddDepartmentsForm key={action.type} id={complaint.id} departments={action.departments ?? []} />;
      case 'submitFindings':
        return <FindingsForm key={action.type} id={complaint.id} departments={action.departments ?? []} />;
      case 'proposePlan':
        return <PlanForm key={action.type} id={complaint.id} current={complaint.plan} />;
      case 'completeFulfilment':
        return <FulfilmentForm key={action.type} id={complaint.id} />;
      case 'escalate':
        return <EscalateForm key={action.type} id={complaint.id} />;
      case 'requestInformation':
        return <RequestInformationForm key={action.type} id={complaint.id} />;
      case 'reopen':
        return <ReopenForm key={action.type} id={complaint.id} />;
      case 'erasePersonalData':
        // Not a step of the case: its form is the erasure panel beside the case (ErasurePanel).
        return null;
      default:
        // The consumer's own actions (feedback, rating, withdrawal, an answer) are answered in the portal.
        return null;
    }
  });
  return (
    <section className="panel panel-highlight" aria-labelledby="actions">
      <h2 id="actions">{t('actions.title')}</h2>
      {forms.some(Boolean) ? <div className="action-forms">{forms}</div> : <p className="muted">{t('actions.none')}</p>}
    </section>
  );
}
