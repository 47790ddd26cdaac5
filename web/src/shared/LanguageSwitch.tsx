import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, type Language } from '../i18n';
import { useLanguage } from './Time';

const names: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

/** The visible language control of every page; the choice is remembered (localStorage). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const lang = useLanguage();
  return (
    <div className="lang-switch">
      <label htmlFor={id}>{t('app.language')}</label>
      <select id={id} value={lang} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {names[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
