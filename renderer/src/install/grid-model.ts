/**
 * The run grid derived from a run's steps: rows (hosts, then the cluster row) × phases, one
 * cell per (row, phase) aggregating that row's steps of the phase, and the overall progress.
 * Pure, so it is unit-tested directly.
 *
 * @see ./run-model.ts — where the steps come from.
 */
import { PHASES, type Phase, type StepState } from '@nodeless/common';
import type { RunFailureView, RunStepView } from '@nodeless/backend/api';
import { CLUSTER_ROW, rowOf, type RunSnapshot } from './run-model.ts';

/** What a cell shows. `none`: this row has no step in this phase. */
export type GridCellState =
  'none' | 'pending' | 'running' | 'unchanged' | 'done' | 'failed' | 'cancelled';

export interface GridCell {
  readonly state: GridCellState;
  /** Determinate progress when `max > 0` (sum over the cell's steps). */
  readonly current: number;
  readonly max: number;
  /** Latest description of the cell's most relevant step. */
  readonly description: string;
  /** The failure (message + remedy) of a failed cell, when the run reported it. */
  readonly failure?: RunFailureView | undefined;
}

export interface GridRowModel {
  /** Host id, or {@link CLUSTER_ROW}. */
  readonly id: string;
  readonly cells: ReadonlyMap<Phase, GridCell>;
  /** Finished steps / all steps of the row. */
  readonly finished: number;
  readonly total: number;
}

export interface RunGridModel {
  /** Phases that have at least one step (all of them before the plan is known). */
  readonly phases: readonly Phase[];
  readonly rows: readonly GridRowModel[];
  /** Overall progress as a fraction 0..1 (finished steps plus partial determinate progress). */
  readonly progress: number;
  readonly finishedSteps: number;
  readonly totalSteps: number;
  /** Failures that belong to no step of the grid (e.g. a host could not be reached). */
  readonly looseFailures: readonly RunFailureView[];
}

const RUNNING: readonly StepState[] = ['checking', 'applying', 'verifying'];

/** A step's own state in the grid's vocabulary. */
export function cellStateOf(state: StepState): Exclude<GridCellState, 'none'> {
  return RUNNING.includes(state)
    ? 'running'
    : (state as Exclude<GridCellState, 'none' | 'running'>);
}

function isFinished(state: StepState): boolean {
  return state === 'done' || state === 'unchanged' || state === 'failed' || state === 'cancelled';
}

/** How much of a step is done, 0..1. */
function stepFraction(s: RunStepView): number {
  if (isFinished(s.state)) return 1;
  if (RUNNING.includes(s.state) && s.max > 0) return Math.min(1, Math.max(0, s.current / s.max));
  return 0;
}

/** A cell's state from its steps: a failure wins, then work in progress, then the rest. */
function aggregate(
  steps: readonly RunStepView[],
  runActive: boolean,
): Exclude<GridCellState, 'none'> {
  const states = steps.map((s) => cellStateOf(s.state));
  if (states.includes('failed')) return 'failed';
  if (states.includes('running')) return 'running';
  if (states.includes('cancelled')) return 'cancelled';
  if (states.every((s) => s === 'pending')) return 'pending';
  if (states.includes('pending')) return runActive ? 'running' : 'pending';
  return states.includes('done') ? 'done' : 'unchanged';
}

/** The most telling step of a cell for its description: failed, running, else the last. */
function leadStep(steps: readonly RunStepView[]): RunStepView | undefined {
  return (
    steps.find((s) => s.state === 'failed') ??
    steps.find((s) => RUNNING.includes(s.state)) ??
    [...steps].reverse().find((s) => s.state !== 'pending') ??
    steps[0]
  );
}

/** Rows in plan order: hosts as their first step appears, the cluster row last. */
export function runGrid(run: RunSnapshot): RunGridModel {
  const byRow = new Map<string, Map<Phase, RunStepView[]>>();
  const used = new Set<Phase>();
  let done = 0;
  let fraction = 0;
  for (const step of run.steps.values()) {
    const row = rowOf(step);
    let phases = byRow.get(row);
    if (!phases) byRow.set(row, (phases = new Map()));
    const list = phases.get(step.phase);
    if (list) list.push(step);
    else phases.set(step.phase, [step]);
    used.add(step.phase);
    if (isFinished(step.state)) done += 1;
    fraction += stepFraction(step);
  }
  const failures = new Map(run.meta.failed.map((f) => [f.step, f] as const));
  const claimed = new Set<string>();
  const active = run.meta.state === 'running';
  const rowIds = [...byRow.keys()].filter((id) => id !== CLUSTER_ROW);
  if (byRow.has(CLUSTER_ROW)) rowIds.push(CLUSTER_ROW);
  const rows = rowIds.map((id): GridRowModel => {
    const phases = byRow.get(id) ?? new Map<Phase, RunStepView[]>();
    const cells = new Map<Phase, GridCell>();
    let finished = 0;
    let total = 0;
    for (const phase of PHASES) {
      const steps = phases.get(phase);
      if (!steps) {
        cells.set(phase, { state: 'none', current: 0, max: 0, description: '' });
        continue;
      }
      total += steps.length;
      finished += steps.filter((s) => isFinished(s.state)).length;
      const failed = steps.find((s) => failures.has(s.key));
      if (failed) claimed.add(failed.key);
      const lead = leadStep(steps);
      const determinate = steps.every((s) => s.max > 0);
      cells.set(phase, {
        state: aggregate(steps, active),
        current: determinate ? steps.reduce((n, s) => n + Math.min(s.current, s.max), 0) : 0,
        max: determinate ? steps.reduce((n, s) => n + s.max, 0) : 0,
        description: lead?.description || lead?.detail || '',
        failure: failed ? failures.get(failed.key) : undefined,
      });
    }
    return { id, cells, finished, total };
  });
  const total = run.steps.size;
  return {
    phases: used.size === 0 ? PHASES : PHASES.filter((p) => used.has(p)),
    rows,
    progress: total === 0 ? 0 : fraction / total,
    finishedSteps: done,
    totalSteps: total,
    looseFailures: run.meta.failed.filter((f) => !claimed.has(f.step)),
  };
}

/**
 * Which buttons a run offers: Cancel while it runs; Resume after it failed, was cancelled or
 * interrupted; Retry (on the failed cell, same call) after a failure.
 */
export function runActions(state: RunSnapshot['meta']['state']): {
  cancel: boolean;
  resume: boolean;
  retry: boolean;
} {
  return {
    cancel: state === 'running',
    resume: state === 'failed' || state === 'cancelled' || state === 'interrupted',
    retry: state === 'failed',
  };
}
