import type { ActionInput, Actor, Complaint, ComplaintStatus, InformationRequest, Stage } from './complaint-schema';
import {
  actorId, caseFacts, consumerNotice, notice, record, shareOf, warningShare, windowEnd, type CaseState, type Notice, type Recipient,
} from './case-state';
import { deadlineAfterPause, defaultConsumerWait, type PausableStage } from './deadlines';

/**
 * Waiting on the consumer (Zendesk's "pending"): a question stops the clock of the stage being
 * worked on and the overall `resolve` clock (as the policy's `pauses` say); the answer, or the
 * end of the reply time, starts them again with their deadlines moved out by the time waited,
 * in each stage's own kind of time. Pure, like the rest of the lifecycle.
 */

/** The statuses a question may be asked in, and the stage each is working on. */
export const askableIn: Partial<Record<ComplaintStatus, PausableStage>> = { investigating: 'investigate', planning: 'plan' };

export type ConsumerWaitTimer = { kind: 'information_reminder' | 'information_expiry'; stage: Stage; at: string };

/** The open question, while the case waits on the consumer. */
export const openQuestion = (c: Pick<Complaint, 'status' | 'informationRequests'>): InformationRequest | undefined =>
  c.status === 'awaiting_consumer' ? c.informationRequests?.at(-1) : undefined;

/** The clocks that stand still now. */
export const pausedStagesOf = (c: Pick<Complaint, 'status' | 'informationRequests'>): readonly Stage[] => openQuestion(c)?.pausedStages ?? [];

/** Asks the consumer; the case waits on them and its clocks stop. */
export function askConsumer(state: CaseState, input: ActionInput<'requestInformation'>, who: Actor, now: string): Notice[] {
  const c = state.complaint;
  const stage = askableIn[c.status]!;
  const pauses = { ...defaultConsumerWait.pauses, ...state.policy.pauses };
  // A clock past due stays so (breached, or about to be): a question does not undo a missed deadline.
  const pausedStages = [stage, 'resolve' as const].filter((s) => {
    const clock = state.clocks[s];
    return pauses[s] && clock && !clock.breached && Date.parse(clock.deadline) > Date.parse(now);
  });
  const number = (c.informationRequests?.length ?? 0) + 1;
  const key = `information:${number}`;
  const replyBy = windowEnd(state.policy, state.policy.consumerReply ?? defaultConsumerWait.consumerReply, now);
  const question: InformationRequest = {
    key, question: input.question, ...(input.needed ? { needed: input.needed } : {}), askedBy: actorId(who),
    ...(who.role === 'department' && who.department ? { department: who.department } : {}), askedAt: now, replyBy,
    resumeStatus: c.status, pausedStages, status: 'open',
  };
  (c.informationRequests ??= []).push(question);
  c.status = 'awaiting_consumer';
  record(state, 'information_requested', who, now, {
    key, question: input.question, ...(input.needed ? { needed: input.needed } : {}), replyBy, pausedStages,
    ...(question.department ? { department: question.department } : {}),
  });
  return [consumerNotice(state, `information_request:${number}`, { question: input.question, needed: input.needed ?? [], answerBy: replyBy })];
}

/** The consumer's answer: the case returns to its stage with the time it had left. */
export function answerQuestion(state: CaseState, input: ActionInput<'provideInformation'>, who: Actor, now: string): Notice[] {
  const question = openQuestion(state.complaint)!;
  question.answer = { text: input.text, ...(input.evidence?.length ? { evidence: input.evidence } : {}), at: now };
  const moved = resume(state, question, 'answered', now);
  record(state, 'information_received', who, now, { key: question.key, ...moved });
  return toAsker(state, question, 'information_received', { key: question.key, deadlines: moved.deadlines });
}

/** The reminder at half the reply time, and the end of it. */
export function questionTimers(state: CaseState): ConsumerWaitTimer[] {
  const question = openQuestion(state.complaint);
  if (!question) return [];
  const stage = askableIn[question.resumeStatus] ?? 'resolve';
  const asked = Date.parse(question.askedAt);
  const half = new Date(asked + Math.round((Date.parse(question.replyBy) - asked) / 2)).toISOString();
  return [
    ...(question.reminded ? [] : [{ kind: 'information_reminder' as const, stage, at: half }]),
    { kind: 'information_expiry' as const, stage, at: question.replyBy },
  ];
}

export function applyQuestionTimer(state: CaseState, timer: ConsumerWaitTimer, now: string): Notice[] {
  const question = openQuestion(state.complaint)!;
  const number = question.key.split(':')[1];
  if (timer.kind === 'information_reminder') {
    question.reminded = true;
    record(state, 'information_reminder_sent', 'system', now, { key: question.key, replyBy: question.replyBy });
    return [consumerNotice(state, `information_reminder:${number}`, { question: question.question, answerBy: question.replyBy })];
  }
  // No answer: the case is never closed for it; the clocks run again (from the end of the reply
  // time, even if the timer is seen late) and whoever asked is told.
  const resumedAt = Date.parse(now) < Date.parse(question.replyBy) ? now : question.replyBy;
  const moved = resume(state, question, 'unanswered', now, resumedAt);
  record(state, 'information_not_received', 'system', now, { key: question.key, replyBy: question.replyBy, ...moved });
  return toAsker(state, question, 'information_not_received', { key: question.key, deadlines: moved.deadlines });
}

/** A withdrawal while waiting: the question is void. */
export function cancelOpenQuestion(state: CaseState, now: string): void {
  const question = openQuestion(state.complaint);
  if (question) Object.assign(question, { status: 'cancelled', resumedAt: now });
}

/**
 * The clocks run again from `resumedAt`: each paused deadline, and the warning before it, moves
 * out by the wait in the stage's own kind of time, so the stage keeps exactly what it had left.
 */
function resume(state: CaseState, question: InformationRequest, outcome: 'answered' | 'unanswered', now: string, resumedAt = now) {
  const c = state.complaint;
  const deadlines: Record<string, { from: string; to: string }> = {};
  const move = (stage: Stage, iso: string) =>
    deadlineAfterPause(state.policy, stage, new Date(iso), new Date(question.askedAt), new Date(resumedAt)).toISOString();
  for (const stage of question.pausedStages) {
    const clock = state.clocks[stage];
    if (!clock || clock.breached) continue;
    if (!clock.warned && stage !== 'feedback') {
      (c.warningsAt ??= {})[stage] = move(stage, c.warningsAt?.[stage] ?? shareOf(clock.startedAt, clock.deadline, warningShare));
    }
    const to = move(stage, clock.deadline);
    deadlines[stage] = { from: clock.deadline, to };
    clock.deadline = to;
    c.deadlines[stage] = to;
  }
  c.status = question.resumeStatus;
  Object.assign(question, { status: outcome, resumedAt: now });
  return { pausedMs: Date.parse(resumedAt) - Date.parse(question.askedAt), deadlines };
}

/** Whoever asked hears of the outcome: the department that asked, and the case's assignee. */
function toAsker(state: CaseState, question: InformationRequest, event: string, data: Record<string, unknown>): Notice[] {
  const recipients: Recipient[] = ['assignee'];
  if (question.department) recipients.push(`department:${question.department}`);
  return recipients.map((recipient) => notice(`${event}:${question.key.split(':')[1]}`, event, recipient, { ...caseFacts(state), ...data }));
}
