import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActionInput, ActionType, Actor, Complaint } from '../domain/complaint-schema';
import type { Rejection } from '../domain/lifecycle';

/** Messages of the complaint workflow, shared by the workflow and its clients (API, ops). */
export const getComplaintQuery = defineQuery<Complaint>('getComplaint');

/** What every action update carries: who acts, and the action's body. */
export interface ActionArgs<T extends ActionType = ActionType> {
  actor: Actor;
  input: ActionInput<T>;
}

export type ActionUpdate<T extends ActionType> = UpdateDefinition<Complaint, [ActionArgs<T>], T>;

const define = <T extends ActionType>(name: T): ActionUpdate<T> => defineUpdate<Complaint, [ActionArgs<T>], T>(name);

/** One Temporal Update per action; each answers with the complaint as it now stands. */
export const actionUpdates: { [T in ActionType]: ActionUpdate<T> } = {
  acknowledge: define('acknowledge'),
  addDepartments: define('addDepartments'),
  submitFindings: define('submitFindings'),
  proposePlan: define('proposePlan'),
  giveFeedback: define('giveFeedback'),
  completeFulfilment: define('completeFulfilment'),
  rateSatisfaction: define('rateSatisfaction'),
  escalate: define('escalate'),
  withdraw: define('withdraw'),
  requestInformation: define('requestInformation'),
  provideInformation: define('provideInformation'),
};

/** The ApplicationFailure type a rejected update carries; the API maps it to a status. */
export const rejectionFailureType: Record<Rejection['kind'], string> = {
  invalid_state: 'InvalidTransition',
  not_found: 'NotFound',
  forbidden: 'Forbidden',
};

/** An operator's intervention, noted on the timeline (sent by the ops tools after a reset). */
export interface OpsNote {
  action: string;
  reason: string;
  /** `ops:<sub>` */
  actor: string;
  details?: Record<string, unknown>;
}
export const recordOpsActionUpdate = defineUpdate<Complaint, [OpsNote]>('recordOpsAction');
