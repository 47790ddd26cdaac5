import * as stepwise from './calendar-stepwise';
import { maxSearchDays, type WorkingCalendar } from './calendar-stepwise';
import { calendarZone } from './time-zone';

/**
 * Working-day calendar: weekdays, public holidays and make-up working days (调休), in one
 * time zone. Pure: every instant comes in as an argument.
 *
 * Where the zone keeps one offset over the whole span computed (always, in China), the local
 * days are plain arithmetic on local milliseconds; otherwise (a span across a summer-time
 * change) the step-by-step Luxon calculation of `calendar-stepwise.ts` answers. Both give the
 * same instants (test/unit/calendar.test.ts compares them on random spans in zones with summer
 * time): the workflows' recorded deadlines replay unchanged, and the what-if replays a quarter's
 * cases without a time-zone lookup per day.
 */
export type { WorkingCalendar } from './calendar-stepwise';
export { isWorkingDay } from './calendar-stepwise';

const dayMs = 86_400_000;

/**
 * The instant `days` working days after `from`, at the same local time of day. A start on a
 * day off starts the clock at 00:00 of the next working day, so a complaint acknowledged on
 * Saturday gets as many working days as one acknowledged on Monday morning.
 */
export function addWorkingDays(calendar: WorkingCalendar, from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, not ${days}`);
  const zone = calendarZone(calendar.timezone);
  const fromMs = from.getTime();
  if (typeof zone === 'string' || !Number.isFinite(fromMs)) return stepwise.addWorkingDays(calendar, from, days);
  const offsetMs = zone.offset(fromMs) * 60_000;
  const local = fromMs + offsetMs;
  let day = Math.floor(local / dayMs);
  let timeOfDay = local - day * dayMs;
  if (!isWorkingDate(calendar, day)) {
    day = nextWorkingDate(calendar, day);
    timeOfDay = 0;
  }
  for (let left = days; left > 0; left--) day = nextWorkingDate(calendar, day);
  const due = day * dayMs + timeOfDay - offsetMs;
  if (zone.fixedOffsetBetween(fromMs - dayMs, due + dayMs) * 60_000 !== offsetMs) return stepwise.addWorkingDays(calendar, from, days);
  return new Date(due);
}

/** Working hours between two instants: the part of the interval that falls on working days. */
export function workingHoursBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  return workingMsBetween(calendar, from, to) / 3_600_000;
}

/** Working time between two instants, in milliseconds. */
export function workingMsBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  const zone = calendarZone(calendar.timezone);
  const offset = typeof zone === 'string' ? NaN : zone.fixedOffsetBetween(from.getTime() - dayMs, to.getTime() + dayMs);
  if (Number.isNaN(offset)) return stepwise.workingMsBetween(calendar, from, to);
  const end = to.getTime() + offset * 60_000;
  let ms = 0;
  for (let cursor = from.getTime() + offset * 60_000; cursor < end; ) {
    const day = Math.floor(cursor / dayMs);
    const sliceEnd = Math.min((day + 1) * dayMs, end);
    if (isWorkingDate(calendar, day)) ms += sliceEnd - cursor;
    cursor = sliceEnd;
  }
  return ms;
}

/** The instant `ms` of working time after `from`: days off are skipped whole. */
export function addWorkingTime(calendar: WorkingCalendar, from: Date, ms: number): Date {
  if (!(ms >= 0)) throw new RangeError(`working time must be ≥ 0, not ${ms}`);
  const zone = calendarZone(calendar.timezone);
  const fromMs = from.getTime();
  if (typeof zone === 'string' || !Number.isFinite(fromMs)) return stepwise.addWorkingTime(calendar, from, ms);
  const offsetMs = zone.offset(fromMs) * 60_000;
  let cursor = fromMs + offsetMs;
  let left = ms;
  for (let days = 0; left > 0; days++) {
    if (days > maxSearchDays * 10) throw new RangeError('the calendar has too few working days');
    const day = Math.floor(cursor / dayMs);
    const dayEnd = (day + 1) * dayMs;
    if (isWorkingDate(calendar, day)) {
      const slice = Math.min(left, dayEnd - cursor);
      left -= slice;
      if (left === 0) {
        cursor += slice;
        break;
      }
    }
    cursor = dayEnd;
  }
  const due = cursor - offsetMs;
  if (zone.fixedOffsetBetween(fromMs - dayMs, due + dayMs) * 60_000 !== offsetMs) return stepwise.addWorkingTime(calendar, from, ms);
  return new Date(due);
}

/** A calendar's days as numbers (days since 1970-01-01), worked out once per calendar object (calendars are built once from a policy and never changed). */
interface CalendarDays {
  holidays: ReadonlySet<number>;
  extraWorkdays: ReadonlySet<number>;
  /** Index 1 = Monday … 7 = Sunday. */
  workdays: readonly boolean[];
}
const calendarDays = new WeakMap<WorkingCalendar, CalendarDays>();
const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / dayMs);

function daysOf(calendar: WorkingCalendar): CalendarDays {
  let days = calendarDays.get(calendar);
  if (!days) {
    days = {
      holidays: new Set(calendar.holidays.map(dayNumber)),
      extraWorkdays: new Set(calendar.extraWorkdays.map(dayNumber)),
      workdays: Array.from({ length: 8 }, (_, weekday) => calendar.workdays.includes(weekday)),
    };
    calendarDays.set(calendar, days);
  }
  return days;
}

/** Whether a local date (days since 1970-01-01) is a working day on the calendar. */
function isWorkingDate(calendar: WorkingCalendar, day: number): boolean {
  const days = daysOf(calendar);
  if (days.extraWorkdays.has(day)) return true;
  if (days.holidays.has(day)) return false;
  // 1970-01-01 was a Thursday: ISO weekday 4.
  return days.workdays[(((day + 3) % 7) + 7) % 7 + 1]!;
}

function nextWorkingDate(calendar: WorkingCalendar, from: number): number {
  for (let day = from + 1; day <= from + maxSearchDays; day++) if (isWorkingDate(calendar, day)) return day;
  throw new RangeError('the calendar has no working day within a year');
}
