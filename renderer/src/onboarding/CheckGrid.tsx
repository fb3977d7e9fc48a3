/**
 * The live step × host grid of a connection test (DESIGN.md §7): one row per host, one
 * column per step, a spinner on the running cell, determinate progress per host and overall,
 * and under a failed row what went wrong and what to do, in plain words.
 */
import type { ReactNode } from 'react';
import { endpoint } from '../ui/HostTable.tsx';
import {
  CHECK_STEPS,
  rowOutcome,
  rowProgress,
  runProgress,
  type CheckRun,
  type GridRow,
} from './check-model.ts';
import type { CheckStepName, ClusterCheckView, HostCheckView } from '@nodeless/backend/api';
import { percent } from './format.ts';
import { RichText } from './RichText.tsx';
import { CellIcon } from './status-icons.tsx';

/** Column titles: the engine's step names in the user's words. */
export const STEP_LABELS: Record<CheckStepName, string> = {
  connect: 'Connect',
  trust: 'Host key',
  privilege: 'Root access',
  facts: 'Facts',
  preflight: 'Preflight',
};

/** How a host is named in the grid, from the inventory (or the report for removed hosts). */
export interface HostLabel {
  address: string;
  port: number;
  role: 'server' | 'agent';
}

/** Inputs of {@link CheckGrid}. */
export interface CheckGridProps {
  run: CheckRun;
  /** The finished report of this run, when it is in (failures get their remedy from it). */
  report: ClusterCheckView | null;
  labels: ReadonlyMap<string, HostLabel>;
  /** Hosts whose key the user rejected in this window. */
  rejected: ReadonlySet<string>;
  onReviewKey(hostId: string): void;
}

/** The grid of one check (see the file comment). */
export function CheckGrid({ run, report, labels, rejected, onReviewKey }: CheckGridProps) {
  const overall = runProgress(run);
  const views = new Map(
    report?.checkId === run.checkId ? report.hosts.map((h) => [h.hostId, h] as const) : [],
  );
  return (
    <div className="check-grid" data-check-id={run.checkId} data-running={run.running}>
      <div className="overall">
        <span>
          {run.running
            ? `Testing ${run.rows.size === 1 ? '1 host' : `${run.rows.size} hosts`}…`
            : 'Connection test finished'}
        </span>
        <progress
          value={overall.current}
          max={Math.max(1, overall.max)}
          aria-label="Overall progress"
          aria-valuetext={`${overall.current} of ${overall.max} steps`}
        />
        <span className="muted small">
          {overall.current} / {overall.max} steps · {percent(overall.current, overall.max)}%
        </span>
      </div>
      <table className="grid" aria-label="Connection test per host">
        <thead>
          <tr>
            <th scope="col">Host</th>
            {CHECK_STEPS.map((s) => (
              <th scope="col" key={s}>
                {STEP_LABELS[s]}
              </th>
            ))}
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {[...run.rows].map(([hostId, row]) => (
            <HostRows
              key={hostId}
              hostId={hostId}
              row={row}
              label={labels.get(hostId) ?? views.get(hostId)}
              view={views.get(hostId)}
              rejected={rejected.has(hostId)}
              onReviewKey={onReviewKey}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface HostRowsProps {
  hostId: string;
  row: GridRow;
  label: HostLabel | undefined;
  view: HostCheckView | undefined;
  rejected: boolean;
  onReviewKey(hostId: string): void;
}

function HostRows({ hostId, row, label, view, rejected, onReviewKey }: HostRowsProps) {
  const name = label ? endpoint(label) : 'Removed host';
  const p = rowProgress(row);
  const outcome = rowOutcome(row);
  const detail = failureDetail(row, view, rejected, () => onReviewKey(hostId));
  return (
    <>
      <tr className={`grid-row outcome-${outcome}`} data-host={name}>
        <th scope="row">
          <span className="mono">{name}</span>{' '}
          {label ? <span className={`badge role-${label.role}`}>{label.role}</span> : null}
        </th>
        {CHECK_STEPS.map((s) => (
          <td key={s} className={`cell cell-${row[s].state}`} title={row[s].description}>
            <CellIcon state={row[s].state} />
            <span className="visually-hidden">
              {STEP_LABELS[s]}: {row[s].description ?? row[s].state}
            </span>
          </td>
        ))}
        <td className="row-progress">
          <progress
            value={p.current}
            max={p.max}
            aria-label={`Progress of ${name}`}
            aria-valuetext={`${p.current} of ${p.max} steps`}
          />
          <span className="small muted">{outcomeText(outcome, p.current, p.max)}</span>
        </td>
      </tr>
      {detail ? (
        <tr className="grid-detail">
          <td colSpan={CHECK_STEPS.length + 2}>{detail}</td>
        </tr>
      ) : null}
    </>
  );
}

function outcomeText(outcome: ReturnType<typeof rowOutcome>, current: number, max: number) {
  switch (outcome) {
    case 'done':
      return 'Done';
    case 'failed':
      return 'Stopped';
    case 'waiting':
      return 'Waiting';
    case 'running':
      return `${current} / ${max}`;
  }
}

/** What to tell the user under a failed row; nothing for a healthy one. */
function failureDetail(
  row: GridRow,
  view: HostCheckView | undefined,
  rejected: boolean,
  review: () => void,
): ReactNode {
  if (view?.status === 'needs-trust') {
    const changed = view.hostKey?.status === 'changed';
    return (
      <div className={changed ? 'detail detail-block' : 'detail detail-warn'} role="note">
        <p>
          {rejected
            ? 'You rejected this host key, so Nodeless will not connect to this machine.'
            : changed
              ? 'This machine presented a different host key than the one trusted before. Nodeless stopped: this can mean the machine was reinstalled — or that someone is intercepting the connection.'
              : 'Nodeless has not connected to this machine before and needs you to confirm its host key.'}
        </p>
        {view.hostKey ? (
          <button type="button" className="small" onClick={review}>
            Review host key
          </button>
        ) : null}
      </div>
    );
  }
  const failedStep = CHECK_STEPS.find((s) => row[s].state === 'failed');
  if (!failedStep) return null;
  const message = view?.failure?.message ?? row[failedStep].description ?? 'This step failed.';
  return (
    <div className="detail detail-block" role="alert">
      <p>
        <strong>{STEP_LABELS[failedStep]} failed:</strong> <RichText text={message} />
      </p>
      {view?.failure?.remedy ? (
        <p>
          <strong>What to do:</strong> <RichText text={view.failure.remedy} />
        </p>
      ) : null}
    </div>
  );
}
