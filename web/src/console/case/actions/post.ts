import { api, ok } from '../../../api/client';
import { queryKeys } from '../../../api/queries';

/** Posts an action with the submission's Idempotency-Key; the case is fetched again after it. */
export const actionPaths = {
  acknowledge: '/api/v1/complaints/{id}/acknowledge',
  departments: '/api/v1/complaints/{id}/departments',
  findings: '/api/v1/complaints/{id}/findings',
  plan: '/api/v1/complaints/{id}/plan',
  fulfilment: '/api/v1/complaints/{id}/fulfilment',
  escalate: '/api/v1/complaints/{id}/escalate',
  informationRequest: '/api/v1/complaints/{id}/information-request',
  reopen: '/api/v1/complaints/{id}/reopen',
} as const;

export const invalidateCase = (id: string) => ({ invalidate: [queryKeys.case(id), queryKeys.cases] });

export const headers = (id: string, key: string) => ({ path: { id }, header: { 'idempotency-key': key } });
export { api, ok };
