import { availableActions } from '../../domain/case-actions';
import type { Actor, AvailableAction } from '../../domain/complaint-schema';
import { applyAction, applyTimer, isFinal, openCase, pendingTimers, type Action, type CaseState } from '../../domain/lifecycle';
import { reopenCase } from '../../domain/reopen';
import type { ResolvedSlaPolicy } from '../../domain/sla-policy';
import { sampleIntake } from './fixtures';

/**
 * Cases driven by the real lifecycle the way their workflows would, at seeded random times: the
 * what-if's identity test (test/unit/what-if.test.ts) and its 100,000-case benchmark
 * (bench/what-if.ts) replay them.
 */
const owner: Actor = { role: 'consumer', sub: 'u1' };
const actors: Actor[] = [
  { role: 'agent', sub: 'a1' }, owner, { role: 'department', sub: 'q1', department: 'quality' },
  { role: 'department', sub: 'l1', department: 'logistics' }, { role: 'supervisor', sub: 's1' },
];
const minute = 60_000;

/** A small seeded generator (mulberry32): the same cases on every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an actor sends for an action, whatever it is. */
function inputFor(action: AvailableAction, next: () => number): Action['input'] {
  switch (action.type) {
    case 'addDepartments': return { add: action.departments!.slice(0, 1) };
    case 'submitFindings': return { department: action.departments![0]!, summary: 's', responsibleParty: 'merchant' };
    case 'proposePlan': return { remedy: (['apology', 'repair', 'replacement', 'return'] as const)[Math.floor(next() * 4)]!, description: 'd', currency: 'CNY' };
    case 'giveFeedback': return { accepted: next() < 0.6 };
    case 'completeFulfilment': return { done: true };
    case 'rateSatisfaction': return { score: 3 };
    case 'escalate': return { reason: 'r' };
    case 'requestInformation': return { question: 'q' };
    case 'provideInformation': return { text: 't' };
    default: return {};
  }
}

export interface SimulationWindow {
  /** Cases are received within `receivedWithinMs` of this instant. */
  receivedFrom: number;
  receivedWithinMs: number;
  /** The case as it stands at this instant (its timers fired up to it); else a few days after its last action. */
  observedAt?: number;
}

/**
 * A case driven by the real lifecycle the way its workflow would: actions at random times,
 * each timer applied at its instant before anything later; a closed case sometimes reopened.
 */
export function simulateCase(
  seed: number, policy: ResolvedSlaPolicy,
  window: SimulationWindow = { receivedFrom: Date.parse('2026-11-20T01:00:00.000Z'), receivedWithinMs: 7 * 24 * 60 * minute },
): { state: CaseState; now: Date } {
  const next = random(seed);
  const receivedAt = window.receivedFrom + Math.floor(next() * (window.receivedWithinMs / minute)) * minute;
  let { state } = openCase({ id: `c${seed}`, receivedAt: new Date(receivedAt).toISOString(), actor: 'consumer:u1', policy, intake: sampleIntake({ category: next() < 0.8 ? 'quality' : 'service', severity: policy.severity }) });
  let t = receivedAt;
  const fireUntil = (until: number) => {
    for (let timer = pendingTimers(state)[0]; timer && Date.parse(timer.at) <= until && !isFinal(state); timer = pendingTimers(state)[0]) {
      applyTimer(state, timer, timer.at);
    }
  };
  for (let step = 0; step < 40; step++) {
    t += Math.floor(next() * next() * 3 * 24 * 60) * minute + Math.floor(next() * 1000);
    fireUntil(t);
    if (isFinal(state)) {
      if (state.complaint.status !== 'closed' || next() < 0.5 || (state.complaint.reopenCount ?? 0) >= 2) break;
      ({ state } = reopenCase({ complaint: state.complaint, reason: 'again', actor: 'consumer:u1', at: new Date(t).toISOString() }, policy));
      continue;
    }
    const choices = actors.flatMap((actor) => availableActions(state.complaint, actor)
      .filter((a) => a.type !== 'withdraw' || next() < 0.05)
      .map((action) => ({ actor, action })));
    if (choices.length === 0) continue;
    const { actor, action } = choices[Math.floor(next() * choices.length)]!;
    applyAction(state, { type: action.type, input: inputFor(action, next) } as Action, actor, new Date(t).toISOString());
  }
  const later = t + Math.floor(next() * 5 * 24 * 60) * minute;
  const now = window.observedAt ?? later;
  fireUntil(now);
  return { state, now: new Date(now) };
}
