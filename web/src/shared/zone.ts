/**
 * The time zone a case's times are shown in: the resource's (and each list item's) `timeZone`;
 * for what carries none (ops' stuck cases), the SLA calendar's default zone (policies/default.json).
 */
export const defaultTimeZone = 'Asia/Shanghai';

export const zoneOf = (item: object): string =>
  'timeZone' in item && typeof item.timeZone === 'string' ? item.timeZone : defaultTimeZone;
