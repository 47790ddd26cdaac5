import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusyGate } from '../../activities/notifications/busy-gate';

describe('BusyGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const released = (promise: Promise<void>) => {
    const state = { done: false };
    void promise.then(() => (state.done = true));
    return state;
  };

  it('lets work through after two idle looks when nothing more urgent is under way', async () => {
    const gate = new BusyGate(() => false, 3000, 20);
    const waiting = released(gate.wait());
    await vi.advanceTimersByTimeAsync(20);
    expect(waiting.done).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(waiting.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds work while busy, through a single idle look, and lets all of it go once idle twice in a row', async () => {
    const looks = [true, true, false, true, true, false, false];
    let look = 0;
    const gate = new BusyGate(() => looks[Math.min(look++, looks.length - 1)]!, 3000, 20);
    const first = released(gate.wait());
    const second = released(gate.wait());
    await vi.advanceTimersByTimeAsync(6 * 20);
    expect([first.done, second.done]).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(20);
    expect([first.done, second.done]).toEqual([true, true]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds nothing longer than its bound, however long the process stays busy', async () => {
    const gate = new BusyGate(() => true, 3000, 20);
    const first = released(gate.wait());
    await vi.advanceTimersByTimeAsync(1000);
    const later = released(gate.wait());
    await vi.advanceTimersByTimeAsync(2000);
    expect([first.done, later.done]).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(later.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never holds with a bound of 0, and lets every waiter go when the process stops', async () => {
    const unbounded = new BusyGate(() => true, 0);
    const at0 = released(unbounded.wait());
    await vi.advanceTimersByTimeAsync(0);
    expect(at0.done).toBe(true);

    const gate = new BusyGate(() => true, 30_000);
    const waiting = released(gate.wait());
    gate.releaseAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
