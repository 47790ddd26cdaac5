import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The current time, ticking (display only: countdowns from a due time the API gave). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The page's title, in the chosen language: "Queue · Complaint Desk". */
export function useTitle(title: string | undefined): void {
  const { t } = useTranslation();
  const product = t('app.product');
  useEffect(() => {
    document.title = title ? `${title} · ${product}` : product;
  }, [title, product]);
}
