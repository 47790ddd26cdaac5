import { useTranslation } from 'react-i18next';
import { TextField } from './Field';

/**
 * Evidence links as rows the person adds and removes; each row's error comes from the
 * server's `errors[].path` (`evidence.1`).
 */
export function EvidenceLinks({ links, onChange, errors, pathPrefix = 'evidence', max }: {
  links: string[];
  onChange: (links: string[]) => void;
  errors: Record<string, string>;
  pathPrefix?: string;
  max?: number;
}) {
  const { t } = useTranslation();
  const set = (i: number, value: string) => onChange(links.map((l, k) => (k === i ? value : l)));
  return (
    <fieldset className="evidence">
      <legend>{t('evidence.legend')}</legend>
      <p className="hint">{t('evidence.hint')}</p>
      {errors[pathPrefix] && <p className="field-error">{errors[pathPrefix]}</p>}
      {links.map((link, i) => (
        <div className="evidence-row" key={i}>
          <TextField
            label={t('evidence.link', { n: i + 1 })}
            type="url"
            inputMode="url"
            placeholder="https://"
            value={link}
            onChange={(e) => set(i, e.target.value)}
            error={errors[`${pathPrefix}.${i}`]}
          />
          <button type="button" className="button button-quiet" onClick={() => onChange(links.filter((_, k) => k !== i))}>
            {t('evidence.remove', { n: i + 1 })}
          </button>
        </div>
      ))}
      {(max === undefined || links.length < max) && (
        <button type="button" className="button button-secondary" onClick={() => onChange([...links, ''])}>
          {t('evidence.add')}
        </button>
      )}
    </fieldset>
  );
}

/** The rows worth sending: blank ones dropped, each trimmed. */
export const filledLinks = (links: string[]) => links.map((l) => l.trim()).filter(Boolean);
