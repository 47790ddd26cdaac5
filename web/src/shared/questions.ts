import type { CaseDetail, InformationRequest } from '../api/types';

/** The question the case waits on the consumer's answer to, as the API lists it (status `open`). */
export const openQuestion = (complaint: Pick<CaseDetail, 'informationRequests'>): InformationRequest | undefined =>
  [...(complaint.informationRequests ?? [])].reverse().find((q) => q.status === 'open');
