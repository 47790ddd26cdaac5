import { useTranslation } from 'react-i18next';
import { TextField } from '../../../shared/Field';

/**
 * What the consumer should send, as rows the agent adds and removes (at most `max`); each row's
 * error comes from the server's `errors[].path` (`needed.1`).
 */
export function NeededItems({ items, onChange, errors, max }: { items: string[]; onChange: (items: string[]) => void; errors: Record<string, string>; max: number }) {
  const { t } = useTranslation();
  const set = (i: number, value: string) => onChange(items.map((x, k) => (k === i ? value : x)));
  return (
    <fieldset className="evidence">
      <legend>{t('actions.neededLegend')}</legend>
      <p className="hint">{t('actions.neededHint')}</p>
      {errors.needed && <p className="field-error">{errors.needed}</p>}
      {items.map((item, i) => (
        <div className="evidence-row" key={i}>
          <TextField label={t('actions.neededItem', { n: i + 1 })} value={item} onChange={(e) => set(i, e.target.value)} error={errors[`needed.${i}`]} />
          <button type="button" className="button button-quiet" onClick={() => onChange(items.filter((_, k) => k !== i))}>
            {t('actions.neededRemove', { n: i + 1 })}
          </button>
        </div>
      ))}
      {items.length < max && (
        <button type="button" className="button button-secondary" onClick={() => onChange([...items, ''])}>
          {t('actions.neededAdd')}
        </button>
      )}
    </fieldset>
  );
}
