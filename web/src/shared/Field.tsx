import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrame {
  label: ReactNode;
  /** Shows the required mark after the label (the control itself carries `required`). */
  required?: boolean | undefined;
  /** The server's message for this field (or the form's own). */
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
}
type Control = { id: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined };

/** A labelled control with its hint and its error linked (aria-describedby, aria-invalid). */
export function Field({ label, error, hint, className, required, children }: FieldFrame & { children: (control: Control) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required-mark" aria-hidden="true"> *</span>}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && <p className="hint" id={hintId}>{hint}</p>}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export const TextField = ({ label, error, hint, className, required, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) => (
  <Field label={label} error={error} hint={hint} className={className} required={required}>
    {(control) => <input {...input} {...control} required={required} />}
  </Field>
);

export const TextArea = ({ label, error, hint, className, required, ...input }: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) => (
  <Field label={label} error={error} hint={hint} className={className} required={required}>
    {(control) => <textarea rows={4} {...input} {...control} required={required} />}
  </Field>
);

export function SelectField<T extends string>({
  label, error, hint, className, required, options, value, onChange, ...select
}: FieldFrame & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  options: ReadonlyArray<{ value: T | ''; label: string }>;
  value: T | '';
  onChange: (value: T | '') => void;
}) {
  return (
    <Field label={label} error={error} hint={hint} className={className} required={required}>
      {(control) => (
        <select {...select} {...control} required={required} value={value} onChange={(e) => onChange(e.target.value as T | '')}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
