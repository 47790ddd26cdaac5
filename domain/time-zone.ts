import { IANAZone } from 'luxon';

/**
 * Time zones for the calendar's arithmetic, with their offsets remembered per UTC day. Luxon asks
 * `Intl` for a zone's offset at every step of a date calculation (a `formatToParts` each time);
 * a working-day deadline takes dozens of them, and the what-if computes hundreds of thousands
 * of deadlines. A UTC day whose offset is the same at its start and at the next day's start
 * holds no change of offset (the tz database never changes an offset twice within a day), so
 * any instant in it has that offset: the answers are the ones Luxon's own zone gives, each
 * computed once. Days with a change ask Luxon every time. Pure: the memory is of answers only.
 */
export class DayRememberingZone extends IANAZone {
  private readonly days = new Map<number, number | null>();

  override offset(ts: number): number {
    if (!Number.isFinite(ts)) return super.offset(ts);
    const day = Math.floor(ts / dayMs);
    let constant = this.days.get(day);
    if (constant === undefined) {
      const atStart = super.offset(day * dayMs);
      constant = atStart === super.offset((day + 1) * dayMs) ? atStart : null;
      // A bound, not an eviction policy: ten thousand days is a quarter of a century per zone.
      if (this.days.size >= 10_000) this.days.clear();
      this.days.set(day, constant);
    }
    return constant ?? super.offset(ts);
  }

  /**
   * The offset (minutes) that holds from `fromMs` to `toMs`, or NaN when it changes between them
   * (or the span is not a span of instants, or too long to be worth checking day by day).
   */
  fixedOffsetBetween(fromMs: number, toMs: number): number {
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs - fromMs > 3_000 * dayMs) return NaN;
    const offset = this.offset(fromMs);
    for (let day = Math.floor(fromMs / dayMs); day <= Math.floor(toMs / dayMs); day++) {
      this.offset(day * dayMs);
      if (this.days.get(day) !== offset) return NaN;
    }
    // Whole minutes only: historic local mean times have seconds, which Luxon rounds its own way.
    return Number.isInteger(offset) ? offset : NaN;
  }
}

const dayMs = 86_400_000;
const zones = new Map<string, DayRememberingZone>();

/** The zone to compute in: `name`'s, remembered; an unknown name is passed on for Luxon to refuse. */
export function calendarZone(name: string): DayRememberingZone | string {
  let zone = zones.get(name);
  if (!zone) {
    if (!IANAZone.isValidZone(name)) return name;
    zones.set(name, (zone = new DayRememberingZone(name)));
  }
  return zone;
}
