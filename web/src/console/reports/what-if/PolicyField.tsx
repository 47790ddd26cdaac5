import { useId, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { pathInPolicy } from './policy-text';

export interface PolicyError {
  path: string;
  message: string;
}

/**
 * The candidate policy as JSON, with every error under it: the browser's own (the text is not
 * JSON) or each field the API refused, by its path in the policy. The errors are linked to the
 * textarea (aria-describedby), so a screen reader reads them with it.
 */
export function PolicyField({ value, onChange, version, jsonError, errors, textareaRef }: {
  value: string;
  onChange: (text: string) => void;
  version: string;
  jsonError: string | undefined;
  errors: PolicyError[];
  textareaRef: Ref<HTMLTextAreaElement>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const invalid = Boolean(jsonError) || errors.length > 0;
  return (
    <div className={`field${invalid ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{t('whatIf.policy')}</label>
      <p className="hint" id={`${id}-hint`}>{t('whatIf.policyHint', { version })}</p>
      <textarea id={id} ref={textareaRef} className="code-input" rows={18} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined} aria-describedby={`${id}-hint${invalid ? ` ${id}-errors` : ''}`} />
      {invalid && (
        <div id={`${id}-errors`} className="field-errors">
          {jsonError ? (
            <p className="field-error">{jsonError}</p>
          ) : (
            <>
              <p className="field-error">{t('whatIf.policyRefused', { count: errors.length })}</p>
              <ul>
                {errors.map((e, i) => (
                  <li key={`${i}-${e.path}`}>
                    <code>{pathInPolicy(e.path) || t('whatIf.wholePolicy')}</code>: {e.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
