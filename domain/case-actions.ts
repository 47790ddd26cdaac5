import { actionTypes, departments, type ActionType, type Actor, type AvailableAction, type Complaint, type Role } from './complaint-schema';
import type { ResolvedSlaPolicy } from './deadlines';
import { rejectOn, type Action } from './lifecycle';
import { hasEnded } from './vocabulary';
import { reopenProblem } from './reopen';

/**
 * Who may ask for each action (api-v1.md, endpoints): the API's routes refuse anyone else,
 * and the screens offer an action only when `availableActions` lists it.
 */
export const actionRoles: Record<ActionType, readonly Role[]> = {
  acknowledge: ['agent'],
  addDepartments: ['agent'],
  submitFindings: ['department', 'agent'],
  proposePlan: ['agent'],
  giveFeedback: ['consumer'],
  completeFulfilment: ['agent', 'department'],
  rateSatisfaction: ['consumer'],
  escalate: ['supervisor'],
  withdraw: ['consumer'],
  requestInformation: ['agent', 'department'],
  provideInformation: ['consumer'],
};

/**
 * A body each action takes whatever the case: what `rejectOn` judges is the state, the caller
 * and the department, never the free text, so a valid stand-in asks exactly what the real one will.
 */
const standIn: { [T in ActionType]: Extract<Action, { type: T }>['input'] } = {
  acknowledge: {},
  addDepartments: { add: [...departments] },
  submitFindings: { department: 'quality', summary: '-', responsibleParty: 'none' },
  proposePlan: { remedy: 'apology', description: '-', currency: 'CNY' },
  giveFeedback: { accepted: true },
  completeFulfilment: { done: true },
  rateSatisfaction: { score: 5 },
  escalate: { reason: '-' },
  withdraw: {},
  requestInformation: { question: '-' },
  provideInformation: { text: '-' },
};

/** The actions `actor` may take on the case now, by the same rules the workflow applies. */
export function availableActions(complaint: Complaint, actor: Actor): AvailableAction[] {
  const available: AvailableAction[] = [];
  for (const type of actionTypes) {
    if (!actionRoles[type].includes(actor.role)) continue;
    if (type === 'submitFindings') {
      const candidates = actor.role === 'department' && actor.department ? [actor.department] : complaint.departments;
      const open = candidates.filter((department) => !rejectOn(complaint, { type, input: { ...standIn.submitFindings, department } }, actor));
      if (open.length) available.push({ type, departments: open });
      continue;
    }
    if (type === 'addDepartments') {
      const addable = departments.filter((d) => !complaint.departments.includes(d));
      if (addable.length && !rejectOn(complaint, { type, input: { add: addable } }, actor)) available.push({ type, departments: addable });
      continue;
    }
    if (!rejectOn(complaint, { type, input: standIn[type] } as Action, actor)) available.push({ type });
  }
  return available;
}

/**
 * `availableActions`; `reopen` while a closed case may be reopened by `actor` (the policy's
 * window); `erasePersonalData` on an ended case not yet erased, for its owner and for ops.
 */
export function caseActions(complaint: Complaint, actor: Actor, now: Date, policy: Pick<ResolvedSlaPolicy, 'calendar' | 'reopen'>): AvailableAction[] {
  const actions = complaint.status === 'closed' ? [] : availableActions(complaint, actor);
  if (!reopenProblem(complaint, actor, now, policy)) actions.push({ type: 'reopen' });
  if (mayErase(complaint, actor)) actions.push({ type: 'erasePersonalData' });
  return actions;
}

/** The owner of an ended case, or ops, may have its personal data erased (docs/personal-data.md). */
const mayErase = (complaint: Complaint, actor: Actor): boolean =>
  hasEnded(complaint.status) && !complaint.erasedAt &&
  (actor.role === 'ops' || (actor.role === 'consumer' && complaint.customerId === actor.sub));
