/**
 * A labelled input with its hint and its error right underneath. The error is wired with
 * `aria-describedby` + `aria-invalid` so screen readers (and Playwright's
 * `toHaveAccessibleDescription`) tie it to the field it is about.
 */
import { useId, type InputHTMLAttributes } from 'react';
import { fieldMessage } from '../api/problems.ts';

export interface FieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'onChange' | 'value' | 'id'
> {
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string | undefined;
  /** Raw message from the backend (e.g. "must be between 1 and 65535"), if any. */
  error?: string | undefined;
}

export function Field({ label, value, onChange, hint, error, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {fieldMessage(label, error)}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface ChoiceProps<T extends string> {
  legend: string;
  name: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
  error?: string | undefined;
}

/** A radio group as a segmented control; arrow keys move between options natively. */
export function Choice<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  error,
}: ChoiceProps<T>) {
  const errorId = useId();
  return (
    <fieldset className="choice" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="segments">
        {options.map((o) => (
          <label key={o.value} className={o.value === value ? 'segment selected' : 'segment'}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === value}
              onChange={() => onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {fieldMessage(legend, error)}
        </p>
      ) : null}
    </fieldset>
  );
}
