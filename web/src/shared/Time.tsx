import { useTranslation } from 'react-i18next';
import { toSupported } from '../i18n';
import { formatTime } from './format';

/** A time in the case's time zone, with its offset, in the chosen language. */
export function Time({ iso, timeZone }: { iso: string | undefined; timeZone: string }) {
  const { i18n } = useTranslation();
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso}>{formatTime(iso, timeZone, toSupported(i18n.resolvedLanguage))}</time>;
}

/** The chosen language (one of the two), for formatters. */
export function useLanguage() {
  const { i18n } = useTranslation();
  return toSupported(i18n.resolvedLanguage ?? i18n.language);
}
