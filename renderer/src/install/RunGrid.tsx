/**
 * The run view (DESIGN.md §7): hosts (plus a "Cluster" row) × phases, a progress bar per
 * cell and overall, Cancel while running, Resume after a failure, cancel or interruption,
 * and under a failed row what went wrong and what to do (Retry resumes the run). The log
 * panel per host is underneath.
 */
import type { RunKind, RunState } from '@nodeless/backend/api';
import type { Phase } from '@nodeless/common';
import { useBootstrapApi } from '../ui/app-context.tsx';
import { useAction } from '../ui/use-action.ts';
import { BlockIcon } from '../onboarding/status-icons.tsx';
import { RichText } from '../onboarding/RichText.tsx';
import { runActions, runGrid, type GridCell, type GridRowModel } from './grid-model.ts';
import { HostLogs } from './HostLogs.tsx';
import { ProblemText } from './ProblemText.tsx';
import { RunCellIcon, STATE_WORDS } from './RunIcons.tsx';
import { CLUSTER_ROW, PHASE_LABELS, type RunSnapshot } from './run-model.ts';

const KIND_WORDS: Record<RunKind, string> = {
  install: 'Install',
  'add-hosts': 'Adding machines',
  'remove-host': 'Removing a machine',
  reset: 'Reset',
};

const STATE_TITLES: Record<RunState, string> = {
  running: 'running…',
  succeeded: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted (the app stopped during the run)',
};

export interface RunGridProps {
  run: RunSnapshot;
  /** Host id → how the user knows it (address). */
  labels: ReadonlyMap<string, string>;
}

export function RunGrid({ run, labels }: RunGridProps) {
  const api = useBootstrapApi();
  const cancel = useAction();
  const resume = useAction();
  const grid = runGrid(run);
  const { meta } = run;
  const actions = runActions(meta.state);
  const label = (id: string) =>
    id === CLUSTER_ROW ? 'Cluster' : (labels.get(id) ?? 'Removed host');
  const pct = Math.round(grid.progress * 100);
  const doResume = () => void resume.run(() => api.resume({ runId: meta.id }));
  const unchanged = meta.state === 'succeeded' && meta.changed.length === 0;

  return (
    <section
      className="run-view"
      aria-labelledby="run-title"
      data-run-id={meta.id}
      data-run-state={meta.state}
    >
      <header className="section-header">
        <div>
          <h2 id="run-title">
            {KIND_WORDS[meta.kind]} {STATE_TITLES[meta.state]}
          </h2>
          <p className="muted small">
            Started {new Date(meta.startedAt).toLocaleString()}
            {meta.finishedAt ? ` · finished ${new Date(meta.finishedAt).toLocaleString()}` : ''}
            {unchanged ? ' · nothing needed to change' : ''}
          </p>
        </div>
        <div className="inline-actions">
          {actions.cancel ? (
            <button
              type="button"
              disabled={cancel.pending}
              onClick={() => void cancel.run(() => api.cancel({ runId: meta.id }))}
            >
              {cancel.pending ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
          {actions.resume ? (
            <button type="button" className="primary" disabled={resume.pending} onClick={doResume}>
              {resume.pending ? 'Resuming…' : 'Resume'}
            </button>
          ) : null}
        </div>
      </header>
      {cancel.problem ? <ProblemText problem={cancel.problem} /> : null}
      {resume.problem ? <ProblemText problem={resume.problem} /> : null}
      <div className="overall">
        <span>{meta.state === 'running' ? 'Overall' : 'Progress'}</span>
        <progress
          value={grid.totalSteps === 0 ? undefined : grid.progress}
          max={1}
          aria-label="Overall progress"
          aria-valuetext={
            grid.totalSteps === 0 ? 'Planning' : `${grid.finishedSteps} of ${grid.totalSteps} steps`
          }
        />
        <span className="muted small">
          {grid.totalSteps === 0
            ? 'Connecting to the machines and planning…'
            : `${grid.finishedSteps} / ${grid.totalSteps} steps · ${pct}%`}
        </span>
      </div>
      {grid.looseFailures.map((f) => (
        <div key={f.step} className="detail detail-block" role="alert">
          <p>
            <BlockIcon label="Failed" /> <strong>{f.hostId ? `${label(f.hostId)}: ` : ''}</strong>
            <RichText text={f.message} />
          </p>
          {f.remedy ? (
            <p>
              <strong>What to do:</strong> <RichText text={f.remedy} />
            </p>
          ) : null}
        </div>
      ))}
      {grid.rows.length > 0 ? (
        <div className="run-grid-scroll">
          <table className="grid run-grid" aria-label="Progress per machine and phase">
            <thead>
              <tr>
                <th scope="col">Machine</th>
                {grid.phases.map((p) => (
                  <th scope="col" key={p}>
                    {PHASE_LABELS[p]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {grid.rows.map((row) => (
                <Row
                  key={row.id}
                  row={row}
                  name={label(row.id)}
                  phases={grid.phases}
                  canRetry={actions.retry && !resume.pending}
                  onRetry={doResume}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <HostLogs rows={grid.rows.map((r) => ({ id: r.id, label: label(r.id) }))} logs={run.logs} />
    </section>
  );
}

interface RowProps {
  row: GridRowModel;
  name: string;
  phases: readonly Phase[];
  canRetry: boolean;
  onRetry(): void;
}

function Row({ row, name, phases, canRetry, onRetry }: RowProps) {
  const failed = phases
    .map((p) => [p, row.cells.get(p)] as const)
    .filter((e): e is readonly [Phase, GridCell] => e[1]?.state === 'failed');
  return (
    <>
      <tr className="grid-row" data-row={name}>
        <th scope="row">
          <span className={row.id === CLUSTER_ROW ? '' : 'mono'}>{name}</span>
          <span className="muted small row-count">
            {' '}
            {row.finished}/{row.total}
          </span>
        </th>
        {phases.map((p) => {
          const cell = row.cells.get(p);
          return cell ? <Cell key={p} cell={cell} phase={PHASE_LABELS[p]} /> : <td key={p} />;
        })}
      </tr>
      {failed.map(([p, cell]) => (
        <tr className="grid-detail" key={p}>
          <td colSpan={phases.length + 1}>
            <div className="detail detail-block" role="alert">
              <p>
                <strong>
                  {PHASE_LABELS[p]} failed on {name}:
                </strong>{' '}
                <RichText
                  text={cell.failure?.message ?? (cell.description || 'This step failed.')}
                />
              </p>
              {cell.failure?.remedy ? (
                <p>
                  <strong>What to do:</strong> <RichText text={cell.failure.remedy} />
                </p>
              ) : null}
              {canRetry ? (
                <button type="button" className="small" onClick={onRetry}>
                  Retry
                </button>
              ) : null}
            </div>
          </td>
        </tr>
      ))}
    </>
  );
}

function Cell({ cell, phase }: { cell: GridCell; phase: string }) {
  const words = STATE_WORDS[cell.state];
  const text = cell.description ? `${words}: ${cell.description}` : words;
  return (
    <td className={`cell run-cell cell-${cell.state}`} title={text}>
      <div className="cell-top">
        <RunCellIcon state={cell.state} />
        {cell.state === 'running' && cell.description ? (
          <span className="cell-desc small">{cell.description}</span>
        ) : null}
      </div>
      {cell.state === 'running' ? (
        <progress
          value={cell.max > 0 ? cell.current : undefined}
          max={cell.max > 0 ? cell.max : 1}
          aria-label={`${phase} progress`}
        />
      ) : null}
      <span className="visually-hidden">
        {phase}: {text}
      </span>
    </td>
  );
}
