/**
 * The date range: presets (24 h, 7 days, 30 days) as one segmented choice, or custom whole UTC
 * days with a From and a To field; a custom range applies on Apply, and its error names the field.
 */
import { useId, useState, type FormEvent } from 'react';
import {
  customRangeError,
  dayOf,
  PRESET_LABELS,
  PRESETS,
  rangeLabel,
  type UsageRange,
} from './usage-range.ts';

export function RangePicker(props: { range: UsageRange; onChange(r: UsageRange): void }) {
  const { range, onChange } = props;
  const id = useId();
  const [custom, setCustom] = useState(range.kind === 'custom');
  const [today] = useState(() => dayOf(Date.now()));
  const [fromDay, setFromDay] = useState(() =>
    range.kind === 'custom' ? range.fromDay : dayOf(Date.now() - 6 * 86_400_000),
  );
  const [toDay, setToDay] = useState(range.kind === 'custom' ? range.toDay : today);
  const [error, setError] = useState<string>();
  const apply = (e: FormEvent): void => {
    e.preventDefault();
    const why = customRangeError(fromDay, toDay);
    setError(why);
    if (!why) onChange({ kind: 'custom', fromDay, toDay });
  };
  return (
    <div className="usage-range">
      <div className="segments" role="radiogroup" aria-label="Date range">
        {PRESETS.map((p) => {
          const on = !custom && range.kind === 'preset' && range.preset === p;
          return (
            <button
              key={p}
              type="button"
              role="radio"
              aria-checked={on}
              className={on ? 'segment selected' : 'segment'}
              onClick={() => {
                setCustom(false);
                onChange({ kind: 'preset', preset: p });
              }}
            >
              {PRESET_LABELS[p]}
            </button>
          );
        })}
        <button
          type="button"
          role="radio"
          aria-checked={custom}
          className={custom ? 'segment selected' : 'segment'}
          onClick={() => setCustom(true)}
        >
          Custom
        </button>
      </div>
      {custom ? (
        <form className="usage-custom" onSubmit={apply} aria-label="Custom range">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={fromDay}
            max={today}
            onChange={(e) => setFromDay(e.target.value)}
            aria-invalid={error?.startsWith('From') ? true : undefined}
          />
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            value={toDay}
            onChange={(e) => setToDay(e.target.value)}
            aria-invalid={error?.startsWith('To') ? true : undefined}
          />
          <button type="submit" className="small">
            Apply
          </button>
          <span className="muted small">UTC days, both included</span>
        </form>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="muted small" aria-live="polite">
        {rangeLabel(range)}
      </p>
    </div>
  );
}
