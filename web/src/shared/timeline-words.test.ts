import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api/types';
import { eventDetail, sameChangeBefore } from './timeline-words';

/** A stand-in for i18next that shows which text was chosen, with what. */
const t = ((key: string, options?: Record<string, unknown>) => `${key}${options ? JSON.stringify(options) : ''}`) as unknown as TFunction;
const words = { stage: (s: string) => `stage:${s}`, time: (iso: string) => iso, answer: () => undefined };
const at = '2026-12-04T10:00:00.000Z';
const event = (type: string, data: Record<string, unknown>, actor = 'system', when = at): TimelineEvent => ({ type, at: when, actor, data });

describe('the platform\'s own escalations in words', () => {
  const describeLast = (events: TimelineEvent[]) => eventDetail(events.at(-1)!, t, words, sameChangeBefore(events, events.length - 1));

  it('names the missed stage, not the English sentence the domain logs', () => {
    const events = [
      event('acknowledged', {}, 'agent:a1', '2026-12-04T09:00:00.000Z'),
      event('deadline_breached', { stage: 'investigate', deadline: at, reason: 'the investigate deadline … was missed' }),
      event('escalated', { from: 1, to: 2, reason: 'the investigate deadline … was missed' }),
    ];
    expect(describeLast(events)).toBe('detail.levels{"from":1,"to":2} — detail.escalatedForBreach{"stage":"stage:investigate"}');
    // The breach itself: its stage and deadline, without the sentence.
    expect(describeLast(events.slice(0, 2))).not.toContain('was missed');
  });

  it('says a reopen escalated, though the investigation started in between', () => {
    const events = [
      event('reopened', { reason: 'still broken', count: 2 }, 'consumer:u1'),
      event('investigation_started', { departments: ['quality'] }),
      event('escalated', { from: 1, to: 2, reason: 'reopened 2 times: still broken' }),
    ];
    expect(describeLast(events)).toBe('detail.levels{"from":1,"to":2} — detail.escalatedForReopen');
  });

  it('keeps a person\'s own reason, and looks only at the same change', () => {
    expect(describeLast([event('deadline_breached', { stage: 'plan' }), event('escalated', { from: 1, to: 2, reason: 'Customer called twice' }, 'supervisor:s1')]))
      .toBe('detail.levels{"from":1,"to":2} — Customer called twice');
    expect(describeLast([event('deadline_breached', { stage: 'plan' }, 'system', '2026-12-04T08:00:00.000Z'), event('escalated', { from: 1, to: 2, reason: 'r' })]))
      .toBe('detail.levels{"from":1,"to":2} — r');
  });
});
