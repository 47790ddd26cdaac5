import type { TFunction } from 'i18next';
import { departments, remedies, responsibleParties, stages, type Department, type Remedy, type ResponsibleParty, type Stage, type TimelineEvent } from '../api/types';
import { formatDuration } from './format';

/** Known timeline event types: each has a plain-language name in both languages. */
export const eventTypes = [
  'received', 'emergency_path_started', 'acknowledged', 'investigation_started', 'departments_added', 'findings_submitted',
  'investigation_completed', 'plan_proposed', 'plan_accepted', 'plan_rejected', 'fulfilled', 'resolved', 'satisfaction_received',
  'satisfaction_reminder_sent', 'closed', 'withdrawn', 'deadline_warning', 'deadline_breached', 'feedback_window_expired',
  'escalated', 'handler_accepted', 'handler_request_failed', 'handler_done', 'ops_reset', 'ops_retry', 'ops_terminated',
  'information_requested', 'information_reminder_sent', 'information_received', 'information_not_received', 'reopened',
] as const;
type EventType = (typeof eventTypes)[number];
const isEventType = (type: string): type is EventType => (eventTypes as readonly string[]).includes(type);
const requestKinds = ['investigation', 'refund', 'compensation', 'return', 'replacement', 'repair'] as const;
const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

export function eventName(type: string, t: TFunction): string {
  return isEventType(type) ? t(`event.${type}`) : type.replaceAll('_', ' ');
}

/** Who did it, in words: "Agent agent-1" for staff; "Customer service" for the consumer. */
export function actorName(actor: string, t: TFunction, opts: { staff: boolean; ownActor?: string }): string {
  if (opts.ownActor && actor === opts.ownActor) return t('actor.you');
  const [role = '', ...rest] = actor.split(':');
  const id = rest.join(':');
  if (role === 'system') return t('actor.system');
  if (role === 'handler') return isOneOf(['quality', 'logistics', 'legal', 'payments'] as const, id) ? t(`handler.${id}`) : t('actor.handler');
  if (role === 'department' && isOneOf(departments, id)) return t(`department.${id}`);
  const known = isOneOf(['consumer', 'agent', 'department', 'supervisor', 'ops', 'staff'] as const, role) ? t(`actor.${role}`) : role;
  return opts.staff && id ? `${known} · ${id}` : known;
}

type Words = {
  stage: (s: Stage) => string;
  time: (iso: string) => string;
  /** The consumer's answer to the question of this key, when the case shows it. */
  answer?: (key: string) => string | undefined;
};

/** A wait's `pausedMs` and `deadlines` in words: "clock paused for 2h", "Investigation deadline moved to Thu 3 Dec 18:00 GMT+8". */
function movedDeadlines(d: Record<string, unknown>, t: TFunction, words: Words): string[] {
  const moved = typeof d.deadlines === 'object' && d.deadlines !== null ? Object.entries(d.deadlines as Record<string, { to?: unknown }>) : [];
  return [
    typeof d.pausedMs === 'number' ? t('detail.pausedFor', { duration: formatDuration(d.pausedMs, t) }) : undefined,
    ...moved.map(([stage, m]) =>
      isOneOf(stages, stage) && typeof m?.to === 'string' ? t('detail.deadlineMoved', { stage: words.stage(stage), time: words.time(m.to) }) : undefined),
  ].filter((x): x is string => Boolean(x));
}

/** The events recorded at the same instant as `events[index]`, before it (what one change recorded). */
export function sameChangeBefore(events: readonly TimelineEvent[], index: number): TimelineEvent[] {
  const found: TimelineEvent[] = [];
  for (let i = index - 1; i >= 0 && events[i]!.at === events[index]!.at; i--) found.push(events[i]!);
  return found;
}

/**
 * Why the platform itself escalated: the missed deadline or the reopen recorded in the same
 * change, in words (its own `reason` is an English sentence for logs and notices, not for the screen).
 */
function platformEscalation(sameChange: readonly TimelineEvent[], t: TFunction, words: Pick<Words, 'stage'>): string | undefined {
  const missed = sameChange.find((e) => e.type === 'deadline_breached' || e.type === 'feedback_window_expired');
  if (missed && isOneOf(stages, missed.data?.stage)) return t('detail.escalatedForBreach', { stage: words.stage(missed.data.stage as Stage) });
  return sameChange.some((e) => e.type === 'reopened') ? t('detail.escalatedForReopen') : undefined;
}

/** Why an `escalated` event raised the level: the person's reason, or the platform's cause in words. */
export function escalationReason(event: TimelineEvent, sameChange: readonly TimelineEvent[], t: TFunction, words: Pick<Words, 'stage'>): string | undefined {
  const reason = typeof event.data?.reason === 'string' ? event.data.reason : undefined;
  return (event.actor === 'system' && platformEscalation(sameChange, t, words)) || reason;
}

/**
 * The facts of an event worth a line (a reason, a version, a score, a question and the deadlines
 * a wait moved), in words; `sameChange` are the events recorded before it in the same change.
 */
export function eventDetail(event: TimelineEvent, t: TFunction, words: Words, sameChange: readonly TimelineEvent[] = []): string | undefined {
  const byPlatform = event.actor === 'system';
  const d = (event.data ?? {}) as Record<string, unknown>;
  const dept = (v: unknown) => (isOneOf(departments, v) ? t(`department.${v as Department}`) : String(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(dept).join(t('common.listSeparator')) : undefined);
  const quoted = (v: unknown) => (typeof v === 'string' && v ? `“${v}”` : undefined);
  const replyBy = typeof d.replyBy === 'string' ? words.time(d.replyBy) : undefined;
  const reason = typeof d.reason === 'string' ? d.reason : undefined;
  const comment = typeof d.comment === 'string' ? d.comment : undefined;
  switch (event.type) {
    case 'investigation_started':
    case 'investigation_completed':
      return list(d.departments);
    case 'departments_added':
      return list(d.added);
    case 'findings_submitted':
      return [dept(d.department), isOneOf(responsibleParties, d.responsibleParty) ? t('detail.responsible', { party: t(`party.${d.responsibleParty as ResponsibleParty}`) }) : undefined]
        .filter(Boolean).join(' — ');
    case 'plan_proposed':
      return t('detail.planVersion', { version: d.version, remedy: isOneOf(remedies, d.remedy) ? t(`remedy.${d.remedy as Remedy}`) : String(d.remedy ?? '') });
    case 'plan_accepted':
      return t('detail.version', { version: d.version });
    case 'plan_rejected':
      return [t('detail.version', { version: d.version }), comment && `“${comment}”`].filter(Boolean).join(' — ');
    case 'satisfaction_received':
      return t('detail.score', { score: d.score });
    case 'escalated':
      return [t('detail.levels', { from: d.from, to: d.to }), escalationReason(event, sameChange, t, words)].filter(Boolean).join(' — ');
    case 'deadline_warning':
    case 'deadline_breached':
    case 'feedback_window_expired':
      return [
        isOneOf(stages, d.stage) ? words.stage(d.stage as Stage) : undefined,
        typeof d.deadline === 'string' ? t('detail.due', { time: words.time(d.deadline) }) : undefined,
        // The platform's own reason repeats the stage and the deadline above, in English.
        event.type !== 'deadline_warning' && !byPlatform ? reason : undefined,
      ].filter(Boolean).join(' — ');
    case 'information_requested':
      return [
        quoted(d.question),
        [
          Array.isArray(d.needed) && d.needed.length ? t('detail.needed', { items: d.needed.map(String).join(t('common.listSeparator')) }) : undefined,
          replyBy && t('detail.answerBy', { time: replyBy }),
          Array.isArray(d.pausedStages) && d.pausedStages.length
            ? t('detail.clocksPaused', { stages: d.pausedStages.filter((x) => isOneOf(stages, x)).map((x) => words.stage(x as Stage)).join(t('common.listSeparator')) })
            : undefined,
        ].filter(Boolean).join(t('common.clauseSeparator')),
      ].filter(Boolean).join(' — ');
    case 'information_reminder_sent':
      return replyBy && t('detail.answerBy', { time: replyBy });
    case 'information_received':
      return [quoted(typeof d.key === 'string' ? words.answer?.(d.key) : undefined), movedDeadlines(d, t, words).join(t('common.clauseSeparator'))].filter(Boolean).join(' — ') || undefined;
    case 'information_not_received':
      return [replyBy && t('detail.noAnswerBy', { time: replyBy }), ...movedDeadlines(d, t, words)].filter(Boolean).join(t('common.clauseSeparator')) || undefined;
    case 'reopened':
      return [
        reason && `“${reason}”`,
        typeof d.count === 'number' ? t('detail.reopenCount', { count: d.count }) : undefined,
        typeof d.previousScore === 'number' ? t('detail.previousScore', { score: d.previousScore }) : undefined,
      ].filter(Boolean).join(' — ');
    case 'closed':
      return d.revisit === 'no_answer' ? t('detail.noRevisitAnswer') : undefined;
    case 'handler_accepted':
    case 'handler_done':
    case 'handler_request_failed':
      return [isOneOf(requestKinds, d.kind) ? t(`requestKind.${d.kind as (typeof requestKinds)[number]}`) : undefined, reason].filter(Boolean).join(' — ');
    default:
      return [typeof d.note === 'string' ? d.note : undefined, reason, comment].filter(Boolean).join(' — ') || undefined;
  }
}
