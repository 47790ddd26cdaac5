import pino, { type Logger } from 'pino';

/**
 * Personal data never reaches the logs: these paths are censored wherever they appear
 * in a logged object (domain.md §6).
 */
export const redactedPaths = [
  'contact', '*.contact', '*.*.contact',
  'name', 'phone', 'email', '*.phone', '*.email',
  'req.headers.authorization', 'headers.authorization',
];

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: undefined }, destination);
}

export type { Logger };
