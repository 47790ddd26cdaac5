import { DateTime } from 'luxon';
import { calendarZone } from './time-zone';

/**
 * The working-day calendar computed step by step with Luxon, a day at a time in the calendar's
 * zone: the reference `calendar.ts` answers like, and what it falls back to when an offset
 * changes (summer time) within the span it computes. Pure: every instant comes in as an argument.
 * Only instants go in (`fromJSDate`), and local times are reached from them (`startOf`, `plus`),
 * which Luxon resolves from the DateTime's own offset. A DateTime built from local date parts
 * (`fromObject`, `local`) would resolve an ambiguous local time by Luxon's first guess of the
 * zone's offset, which the workflow thread shares between cases (decision 029): not deterministic.
 */
export interface WorkingCalendar {
  timezone: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workdays: number[];
  /** Local dates (YYYY-MM-DD) that are days off although their weekday is a workday. */
  holidays: string[];
  /** Local dates that are working days although their weekday is not (make-up days). */
  extraWorkdays: string[];
}

export function isWorkingDay(calendar: WorkingCalendar, localDate: DateTime): boolean {
  const day = localDate.toISODate()!;
  if (calendar.extraWorkdays.includes(day)) return true;
  if (calendar.holidays.includes(day)) return false;
  return calendar.workdays.includes(localDate.weekday);
}

/**
 * The instant `days` working days after `from`, at the same local time of day. A start on a
 * day off starts the clock at 00:00 of the next working day, so a complaint acknowledged on
 * Saturday gets as many working days as one acknowledged on Monday morning.
 */
export function addWorkingDays(calendar: WorkingCalendar, from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, not ${days}`);
  let cursor: DateTime = DateTime.fromJSDate(from, { zone: calendarZone(calendar.timezone) });
  if (!cursor.isValid) throw new RangeError(`unknown time zone ${calendar.timezone}`);
  if (!isWorkingDay(calendar, cursor)) cursor = nextWorkingDay(calendar, cursor).startOf('day');
  for (let left = days; left > 0; left--) cursor = nextWorkingDay(calendar, cursor);
  return cursor.toJSDate();
}

// A calendar without a single working day in a year is a configuration error, not a loop.
export const maxSearchDays = 366;

function nextWorkingDay(calendar: WorkingCalendar, from: DateTime): DateTime {
  let day = from;
  for (let i = 0; i < maxSearchDays; i++) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(calendar, day)) return day;
  }
  throw new RangeError('the calendar has no working day within a year');
}

/** Working time between two instants, in milliseconds. */
export function workingMsBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  let cursor: DateTime = DateTime.fromJSDate(from, { zone: calendarZone(calendar.timezone) });
  const end = DateTime.fromJSDate(to, { zone: calendarZone(calendar.timezone) });
  let ms = 0;
  while (cursor < end) {
    const dayEnd = cursor.startOf('day').plus({ days: 1 });
    const sliceEnd = dayEnd < end ? dayEnd : end;
    if (isWorkingDay(calendar, cursor)) ms += sliceEnd.toMillis() - cursor.toMillis();
    cursor = sliceEnd;
  }
  return ms;
}

/** The instant `ms` of working time after `from`: days off are skipped whole. */
export function addWorkingTime(calendar: WorkingCalendar, from: Date, ms: number): Date {
  if (!(ms >= 0)) throw new RangeError(`working time must be ≥ 0, not ${ms}`);
  let cursor: DateTime = DateTime.fromJSDate(from, { zone: calendarZone(calendar.timezone) });
  if (!cursor.isValid) throw new RangeError(`unknown time zone ${calendar.timezone}`);
  let left = ms;
  for (let day = 0; left > 0; day++) {
    if (day > maxSearchDays * 10) throw new RangeError('the calendar has too few working days');
    const dayEnd = cursor.startOf('day').plus({ days: 1 });
    if (isWorkingDay(calendar, cursor)) {
      const slice = Math.min(left, dayEnd.toMillis() - cursor.toMillis());
      left -= slice;
      if (left === 0) return cursor.plus({ milliseconds: slice }).toJSDate();
    }
    cursor = dayEnd;
  }
  return cursor.toJSDate();
}
