/**
 * Idle capacity: the pool's capacity minus the specs billed, per UTC hour, and what the idle
 * part would have been billed — the cost of machines nobody's pods used. Totals up top; the
 * hours in a table (overcommitted hours flagged) with its own CSV export.
 */
import { useState } from 'react';
import type { UsageIdle } from '@nodeless/backend/api';
import { formatMicros } from '@nodeless/common';
import { saveText } from '../logs/log-download.ts';
import { downloadName, hourText, idleAmounts, idleCsv } from './usage-format.ts';
import { rangeText, type UsageRange } from './usage-range.ts';
import type { Loaded } from './use-load.ts';

export function IdlePanel(props: {
  clusterId: string;
  range: UsageRange;
  idle: Loaded<UsageIdle>;
}) {
  const { range, idle } = props;
  const [open, setOpen] = useState(false);
  return (
    <div className="usage-card" aria-label="Idle capacity">
      <div className="usage-card-head">
        <h2>Idle capacity</h2>
        {idle.kind === 'ok' && idle.value.hours.length > 0 ? (
          <button
            type="button"
            className="small"
            onClick={() =>
              saveText(idleCsv(idle.value), downloadName(undefined, ['idle', rangeText(range)]))
            }
          >
            Export CSV
          </button>
        ) : null}
      </div>
      {idle.kind === 'loading' ? <p className="muted">Loading…</p> : null}
      {idle.kind === 'error' ? (
        <p className="form-error" role="alert">
          {idle.message}
        </p>
      ) : null}
      {idle.kind === 'ok' ? (
        <>
          <IdleTotals idle={idle.value} />
          {idle.value.hours.length > 0 ? (
            <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
              <summary>Per hour ({idle.value.hours.length} hours)</summary>
              {open ? <IdleHours idle={idle.value} /> : null}
            </details>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function IdleTotals({ idle }: { idle: UsageIdle }) {
  const t = idle.total;
  if (idle.hours.length === 0) {
    return (
      <p className="muted">
        {idle.hoursWithoutCapacity > 0
          ? `The pool's capacity is not known for these ${idle.hoursWithoutCapacity} hours: Nodeless samples it while it has the cluster open, so idle capacity starts with the first sample.`
          : 'No hours in this range yet.'}
      </p>
    );
  }
  return (
    <>
      <dl className="facts usage-idle-facts">
        <dt>Pool capacity</dt>
        <dd>{idleAmounts(t.capacity)}</dd>
        <dt>Billed to pods</dt>
        <dd>{idleAmounts(t.billed)}</dd>
        <dt>Sandbox overhead</dt>
        <dd title="The sandboxes' own share (RuntimeClass overhead): neither billed nor idle.">
          {idleAmounts(t.overhead)}
        </dd>
        <dt>Idle</dt>
        <dd>
          {idleAmounts(t.idle)} ·{' '}
          <strong title={`${formatMicros(t.idleMicros)} ${idle.currency}`}>
            {formatMicros(t.idleMicros, 2)} {idle.currency}
          </strong>{' '}
          at the pods' prices
        </dd>
      </dl>
      {idle.hoursWithoutCapacity > 0 ? (
        <p className="muted small">
          {idle.hoursWithoutCapacity} hours are left out: the pool's capacity was not known then (it
          is sampled while Nodeless has the cluster open).
        </p>
      ) : null}
    </>
  );
}

function IdleHours({ idle }: { idle: UsageIdle }) {
  return (
    <table className="hosts usage-table" aria-label="Idle capacity per hour">
      <thead>
        <tr>
          <th scope="col">Hour (UTC)</th>
          <th scope="col">Capacity</th>
          <th scope="col">Billed</th>
          <th scope="col">Idle</th>
          <th scope="col" className="num">
            Idle cost ({idle.currency})
          </th>
        </tr>
      </thead>
      <tbody>
        {idle.hours.map((h) => (
          <tr key={h.hour}>
            <th scope="row">{hourText(h.hour)}</th>
            <td>{idleAmounts(h.capacity)}</td>
            <td>
              {idleAmounts(h.billed)}
              {h.overcommitted ? <span className="badge warn">overcommitted</span> : null}
            </td>
            <td>{idleAmounts(h.idle)}</td>
            <td className="num" title={formatMicros(h.idleMicros)}>
              {formatMicros(h.idleMicros, 2)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
