/**
 * The time zone a case's times are shown in: the resource's `timeZone`. List items do not carry
 * it yet (asked for); until they do, the SLA calendar's default zone (policies/default.json).
 */
export const defaultTimeZone = 'Asia/Shanghai';

export const zoneOf = (item: object): string =>
  'timeZone' in item && typeof item.timeZone === 'string' ? item.timeZone : defaultTimeZone;
