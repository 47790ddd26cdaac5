import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

/** The two languages of the apps; every visible string is in both files. */
export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

// Both files have every key of the English one (a missing key fails the type-check).
const zh: typeof en = zhCN;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** A browser language of the Chinese family reads Simplified Chinese; any other reads English. */
export const toSupported = (lng: string | undefined): Language => (lng?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
    supportedLngs: [...languages],
    fallbackLng: 'en',
    load: 'currentOnly',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    detection: {
      // The chosen language is kept in localStorage (only that); otherwise the browser's.
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: 'complaints.lang',
      caches: ['localStorage'],
      convertDetectedLanguage: toSupported,
    },
  });

const followLanguage = (lng: string) => {
  document.documentElement.lang = toSupported(lng);
};
followLanguage(i18next.language);
i18next.on('languageChanged', followLanguage);

export const currentLanguage = (): Language => toSupported(i18next.resolvedLanguage ?? i18next.language);
export default i18next;
