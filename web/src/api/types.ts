/**
 * Names for the shapes of the generated schema (schema.d.ts): the screens use these, never a
 * hand-written copy of the API's types.
 */
import type { components, paths } from './schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer A } ? JsonOf<A> : R extends { 201: infer A } ? JsonOf<A> : never
  : never;
export type BodyOf<P extends keyof paths> = paths[P]['post'] extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

export type Me = Ok<'/api/v1/me', 'get'>;
export type Role = Me['role'];
export type CaseDetail = Ok<'/api/v1/complaints/{id}', 'get'>;
export type CasePage = Ok<'/api/v1/complaints', 'get'>;
export type CaseSummary = CasePage['items'][number];
export type ListQuery = NonNullable<paths['/api/v1/complaints']['get']['parameters']['query']>;
export type Clock = CaseDetail['clocks'][number];
export type Sla = CaseDetail['sla'];
export type SlaState = Sla['state'];
export type Stage = Clock['stage'];
export type AvailableAction = CaseDetail['actions'][number];
export type ActionType = AvailableAction['type'];
export type Status = CaseDetail['status'];
export type Category = CaseDetail['category'];
export type Severity = CaseDetail['severity'];
export type Department = CaseDetail['departments'][number];
export type Finding = CaseDetail['findings'][number];
export type TimelineEvent = CaseDetail['timeline'][number];
export type HandlerRequest = CaseDetail['requests'][number];
export type PendingCall = NonNullable<CaseDetail['waitingOn']>[number];
export type InformationRequest = NonNullable<CaseDetail['informationRequests']>[number];
export type Notification = Ok<'/api/v1/complaints/{id}/notifications', 'get'>['items'][number];
export type StuckCase = Ok<'/api/v1/ops/stuck', 'get'>['items'][number];
export type OpsDescription = Ok<'/api/v1/ops/complaints/{id}', 'get'>;
export type ReplayResult = Ok<'/api/v1/ops/replay', 'post'>['results'][number];
export type SummaryReport = Ok<'/api/v1/reports/summary', 'get'>;
export type MonthlyReport = Ok<'/api/v1/reports/monthly', 'get'>;
export type StageReport = SummaryReport['stages']['acknowledge'];
export type QuarterlyReport = Ok<'/api/v1/reports/quarterly', 'get'>;
export type SlaPolicyInForce = Ok<'/api/v1/sla-policy', 'get'>;
export type WhatIfQuery = BodyOf<'/api/v1/reports/what-if'>;
export type CandidatePolicy = WhatIfQuery['policy'];
export type WhatIfReport = Ok<'/api/v1/reports/what-if', 'post'>;
export type StageComparison = WhatIfReport['stages'][number];
export type ErasureAnswer = Ok<'/api/v1/complaints/{id}/erasure', 'post'>;
export type Problem = components['schemas']['Problem'];

export type NewComplaint = BodyOf<'/api/v1/complaints'>;
export type Remedy = BodyOf<'/api/v1/complaints/{id}/plan'>['remedy'];
export type ResponsibleParty = BodyOf<'/api/v1/complaints/{id}/findings'>['responsibleParty'];

/** The values of the enums, for selects and filters (checked against the generated types). */
export const statuses = [
  'received', 'acknowledged', 'investigating', 'planning', 'awaiting_consumer', 'awaiting_feedback', 'fulfilling', 'resolved', 'closed', 'withdrawn',
  'terminated',
] as const satisfies readonly Status[];
export const categories = ['quality', 'service', 'false_advertising', 'logistics', 'legal', 'other'] as const satisfies readonly Category[];
export const severities = ['general', 'complex', 'urgent'] as const satisfies readonly Severity[];
export const departments = ['quality', 'logistics', 'legal'] as const satisfies readonly Department[];
export const stages = ['acknowledge', 'investigate', 'plan', 'feedback', 'repair', 'resolve', 'revisit'] as const satisfies readonly Stage[];
export const remedies = ['refund', 'replacement', 'repair', 'return', 'compensation', 'apology', 'other'] as const satisfies readonly Remedy[];
export const responsibleParties = ['merchant', 'platform', 'carrier', 'consumer', 'none'] as const satisfies readonly ResponsibleParty[];
export const reportStages = ['acknowledge', 'investigate', 'plan', 'resolve', 'revisit'] as const satisfies ReadonlyArray<keyof SummaryReport['stages']>;
