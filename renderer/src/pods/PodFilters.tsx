/**
 * The Pods table's filter bar, one row where it fits: free text over name and owner first (the
 * filter used most), then namespace, status group and label selector (kubectl syntax, its
 * error right under it).
 */
import { useId } from 'react';
import { STATUS_FILTERS, type StatusFilter } from './pods-query.ts';

export interface FilterInputs {
  namespace: string;
  selector: string;
  status: StatusFilter;
  text: string;
}

const STATUS_LABELS: Record<StatusFilter, string> = {
  all: 'All statuses',
  running: 'Running',
  pending: 'Pending',
  problem: 'Not ready or failing',
  terminating: 'Terminating',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

/** True when any filter narrows the table (what "Clear filters" would undo). */
export function hasFilters(inputs: FilterInputs): boolean {
  return (
    inputs.namespace !== '' ||
    inputs.selector.trim() !== '' ||
    inputs.status !== 'all' ||
    inputs.text !== ''
  );
}

export const EMPTY_INPUTS: FilterInputs = { namespace: '', selector: '', status: 'all', text: '' };

export function PodFilters(props: {
  inputs: FilterInputs;
  namespaces: readonly string[];
  selectorError: string | undefined;
  onChange(inputs: FilterInputs): void;
}) {
  const { inputs, namespaces, selectorError, onChange } = props;
  const id = useId();
  const set = (patch: Partial<FilterInputs>) => onChange({ ...inputs, ...patch });
  const options =
    inputs.namespace && !namespaces.includes(inputs.namespace)
      ? [...namespaces, inputs.namespace]
      : namespaces;
  return (
    <div className="pod-filters" role="search" aria-label="Filter pods">
      <div className="field search">
        <label htmlFor={`${id}-q`}>Search pods</label>
        <input
          id={`${id}-q`}
          type="search"
          value={inputs.text}
          placeholder="Name or owner"
          spellCheck={false}
          autoCapitalize="off"
          onChange={(e) => set({ text: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-ns`}>Namespace</label>
        <select
          id={`${id}-ns`}
          value={inputs.namespace}
          onChange={(e) => set({ namespace: e.target.value })}
        >
          <option value="">All namespaces</option>
          {options.map((ns) => (
            <option key={ns} value={ns}>
              {ns}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-st`}>Status</label>
        <select
          id={`${id}-st`}
          value={inputs.status}
          onChange={(e) => set({ status: e.target.value as StatusFilter })}
        >
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field selector">
        <label htmlFor={`${id}-sel`}>Label selector</label>
        <input
          id={`${id}-sel`}
          className="mono"
          value={inputs.selector}
          placeholder="app=web,tier!=db,env in (a,b)"
          spellCheck={false}
          autoCapitalize="off"
          aria-invalid={selectorError ? true : undefined}
          aria-describedby={selectorError ? `${id}-sel-error` : undefined}
          onChange={(e) => set({ selector: e.target.value })}
        />
        {selectorError ? (
          <p id={`${id}-sel-error`} className="field-error" role="alert">
            Label selector: {selectorError}
          </p>
        ) : null}
      </div>
    </div>
  );
}
