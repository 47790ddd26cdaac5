import type { TFunction } from 'i18next';
import type { Language } from '../i18n';

/**
 * Times are shown in the case's time zone with its offset ("Thu 3 Dec 18:00 GMT+8",
 * "12月3日周四 18:00 GMT+8"), in the chosen language.
 */
export function formatTime(iso: string | undefined, timeZone: string, lang: Language, opts: { year?: boolean } = {}): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  const showYear = opts.year ?? yearOf(date, timeZone) !== yearOf(new Date(), timeZone);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', ...(showYear ? { year: 'numeric' } : {}), timeZone })
    .format(date)
    .replace(',', '');
  const parts = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'shortOffset' }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${day} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** A date alone (reports, lists): "3 Dec 2026" / "2026年12月3日". */
export function formatDate(iso: string, timeZone: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));
}

const yearOf = (date: Date, timeZone: string) => new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(date);

/**
 * A length of time in words: "2d 3h", "2h 5m", "45m", "under a minute" (and in Chinese);
 * `seconds` (a ticking countdown) shows them under an hour: "4m 05s".
 */
export function formatDuration(ms: number, t: TFunction, opts: { seconds?: boolean } = {}): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (opts.seconds && minutes < 60) {
    const secs = Math.floor(Math.abs(ms) / 1000) % 60;
    const s = t('duration.seconds', { n: String(secs).padStart(minutes ? 2 : 1, '0') });
    return minutes ? [t('duration.minutes', { n: minutes }), s].join(t('duration.separator')) : s;
  }
  if (minutes < 1) return t('duration.lessThanMinute');
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts: string[] = [];
  if (d) parts.push(t('duration.days', { n: d }));
  if (h) parts.push(t('duration.hours', { n: h }));
  if (m && !d) parts.push(t('duration.minutes', { n: m }));
  return parts.join(t('duration.separator'));
}

/** A number in the language's way: 1,234.5 */
export const formatNumber = (n: number, lang: Language, options?: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'zh-CN', options).format(n);

export const formatPercent = (rate: number | null | undefined, lang: Language) =>
  rate === null || rate === undefined ? '—' : formatNumber(rate, lang, { style: 'percent', maximumFractionDigits: 1 });

export const formatMoney = (amount: number, currency: string | undefined, lang: Language) =>
  formatNumber(amount, lang, { style: 'currency', currency: currency ?? 'CNY' });

/** Case ids are long UUIDs: their first block reads well in lists (the full id is in the link). */
export const shortId = (id: string) => id.slice(0, 8);

/** A change with its sign: "+1.5", "−2", "0" (what-if shifts and differences). */
export const formatSigned = (n: number, lang: Language, maximumFractionDigits = 1) =>
  formatNumber(n, lang, { signDisplay: 'exceptZero', maximumFractionDigits });
