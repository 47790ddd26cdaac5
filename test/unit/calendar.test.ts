import { describe, expect, it } from 'vitest';
import { addWorkingDays, addWorkingTime, isWorkingDay, workingHoursBetween, workingMsBetween, type WorkingCalendar } from '../../domain/calendar';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { DateTime } from 'luxon';
import * as stepwise from '../../domain/calendar-stepwise';
import { calendarZone } from '../../domain/time-zone';

// The shipped default calendar: Asia/Shanghai with the 2026 public holidays and make-up days.
const china2026: WorkingCalendar = (() => {
  const { file } = loadSlaPolicy(undefined);
  return { timezone: file.timezone, ...file.calendar };
})();
const plain: WorkingCalendar = { timezone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], holidays: [], extraWorkdays: [] };

/** Shanghai local time → the instant. */
const cst = (local: string) => DateTime.fromISO(local, { zone: 'Asia/Shanghai' }).toJSDate();

describe('working-day calendar', () => {
  it('skips a weekend', () => {
    // Friday 15:00 + 2 working days = Tuesday 15:00.
    expect(addWorkingDays(plain, cst('2026-11-20T15:00'), 2)).toEqual(cst('2026-11-24T15:00'));
    expect(addWorkingDays(plain, cst('2026-11-20T15:00'), 1)).toEqual(cst('2026-11-23T15:00'));
  });

  it('skips the 2026 National Day holiday and counts its make-up Saturday', () => {
    // Wednesday 30 Sep + 3 working days: 1-7 Oct are off; 8 Oct, 9 Oct, and Saturday 10 Oct (调休) work.
    expect(addWorkingDays(china2026, cst('2026-09-30T10:00'), 3)).toEqual(cst('2026-10-10T10:00'));
    // Without the make-up day the third working day would be Monday 12 Oct.
    const noMakeUp = { ...china2026, extraWorkdays: [] };
    expect(addWorkingDays(noMakeUp, cst('2026-09-30T10:00'), 3)).toEqual(cst('2026-10-12T10:00'));
  });

  it('counts the make-up Sunday before National Day', () => {
    expect(isWorkingDay(china2026, DateTime.fromISO('2026-09-20', { zone: 'Asia/Shanghai' }))).toBe(true);
    // Friday 18 Sep + 1 working day = Sunday 20 Sep (a working day in 2026), not Monday.
    expect(addWorkingDays(china2026, cst('2026-09-18T10:00'), 1)).toEqual(cst('2026-09-20T10:00'));
  });

  it('starts the clock at the next working morning when work arrives on a day off', () => {
    // Saturday 3 Oct (holiday) 15:00 + 1 working day: the clock starts 8 Oct 00:00 and runs one day.
    expect(addWorkingDays(china2026, cst('2026-10-03T15:00'), 1)).toEqual(cst('2026-10-09T00:00'));
  });

  it('reckons days in the calendar time zone, not in UTC', () => {
    // Saturday 00:30 in Shanghai is still Friday in UTC; the Shanghai weekend applies.
    expect(addWorkingDays(plain, cst('2026-11-21T00:30'), 1)).toEqual(cst('2026-11-24T00:00'));
  });

  it('adds nothing for zero days on a working day', () => {
    expect(addWorkingDays(plain, cst('2026-11-23T09:00'), 0)).toEqual(cst('2026-11-23T09:00'));
  });

  it('measures working hours between two instants', () => {
    // Friday noon to Monday noon: 12 h on Friday, none at the weekend, 12 h on Monday.
    expect(workingHoursBetween(plain, cst('2026-11-20T12:00'), cst('2026-11-23T12:00'))).toBe(24);
    expect(workingHoursBetween(china2026, cst('2026-09-30T12:00'), cst('2026-10-08T12:00'))).toBe(24);
  });

  it('adds working time, skipping days off whole (a paused clock resumes with what it had left)', () => {
    const hour = 3_600_000;
    // Friday 20:00 + 10 working hours: 4 h on Friday, the weekend skipped, 6 h into Monday.
    expect(addWorkingTime(plain, cst('2026-11-20T20:00'), 10 * hour)).toEqual(cst('2026-11-23T06:00'));
    expect(addWorkingTime(plain, cst('2026-11-21T10:00'), 1 * hour)).toEqual(cst('2026-11-23T01:00'));
    expect(addWorkingTime(china2026, cst('2026-09-30T12:00'), 24 * hour)).toEqual(cst('2026-10-08T12:00'));
    expect(addWorkingTime(plain, cst('2026-11-23T09:00'), 0)).toEqual(cst('2026-11-23T09:00'));
    // The inverse of measuring it.
    expect(workingMsBetween(plain, cst('2026-11-20T20:00'), cst('2026-11-23T06:00'))).toBe(10 * hour);
    expect(() => addWorkingTime(plain, new Date(), -1)).toThrow(RangeError);
  });

  it('refuses nonsense', () => {
    expect(() => addWorkingDays(plain, cst('2026-11-20T15:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays({ ...plain, timezone: 'Mars/Olympus' }, new Date(), 1)).toThrow(/time zone/);
    expect(() => addWorkingDays({ ...plain, workdays: [] }, new Date(), 1)).toThrow(/no working day/);
  });

  // calendar.ts computes in local milliseconds where the offset holds, and falls back to Luxon
  // day by day across a change: the instants must be the step-by-step ones, bit for bit, or a
  // recorded workflow would compute another deadline on replay.
  it('answers exactly as the step-by-step Luxon calculation, across summer-time changes too', () => {
    const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Africa/Casablanca', 'Pacific/Apia', 'UTC'];
    let seed = 7;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const hour = 3_600_000;
    let fallbacks = 0;
    for (let i = 0; i < 4000; i++) {
      const timezone = zones[i % zones.length]!;
      // Around the changes: within a week of late March, October or November, else anywhere.
      const base = Date.UTC(2010 + Math.floor(next() * 25), [2, 9, 10, Math.floor(next() * 12)][Math.floor(next() * 4)]!, 20);
      const from = new Date(base + Math.floor(next() * 14 * 24 * 60) * 60_000 + Math.floor(next() * 60_000));
      const holidays = Array.from({ length: 3 }, () => new Date(from.getTime() + Math.floor(next() * 10) * 86_400_000).toISOString().slice(0, 10));
      const calendar: WorkingCalendar = { timezone, workdays: next() < 0.2 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5], holidays, extraWorkdays: next() < 0.3 ? [holidays[0]!] : [] };
      const days = Math.floor(next() * 8);
      const ms = Math.floor(next() * 120 * hour);
      const to = new Date(from.getTime() + Math.floor(next() * 200 * hour));
      const zone = calendarZone(timezone);
      if (typeof zone !== 'string' && Number.isNaN(zone.fixedOffsetBetween(from.getTime(), to.getTime()))) fallbacks++;
      const where = `${timezone} ${from.toISOString()} days=${days} ms=${ms} to=${to.toISOString()}`;
      expect(addWorkingDays(calendar, from, days).toISOString(), where).toBe(stepwise.addWorkingDays(calendar, from, days).toISOString());
      expect(addWorkingTime(calendar, from, ms).toISOString(), where).toBe(stepwise.addWorkingTime(calendar, from, ms).toISOString());
      expect(workingMsBetween(calendar, from, to), where).toBe(stepwise.workingMsBetween(calendar, from, to));
    }
    // Both ways were taken: spans with an offset change went step by step.
    expect(fallbacks).toBeGreaterThan(100);
  });
});
