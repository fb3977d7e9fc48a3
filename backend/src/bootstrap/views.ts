/**
 * Rows → the API's run views. Host ids are the engine's host names (the backend names each
 * handle after its inventory id), so no mapping is needed beyond renaming fields.
 */
import type { Phase, StepProgress, StepState } from '@nodeless/common';
import type { RunOutcome } from './engine.ts';
import type { RunRow } from '../store/runs.ts';
import type { RunStepRow } from '../store/run-steps.ts';
import type { RunFailureView, RunStepView, RunView } from './types.ts';

/** Live progress of steps in flight (kept in memory: progress is not journaled per chunk). */
export type LiveProgress = ReadonlyMap<string, StepProgress>;

export function stepView(row: RunStepRow, live?: LiveProgress): RunStepView {
  const p = live?.get(row.step);
  return {
    key: row.step,
    phase: row.phase as Phase,
    hostId: row.host_id,
    state: row.state as StepState,
    current: p?.current ?? row.current,
    max: p?.max ?? row.max,
    description: p?.description ?? row.description,
    detail: row.detail,
  };
}

/** The stored outcome, or an empty one while running. */
export function parseOutcome(row: RunRow): Pick<RunOutcome, 'changed' | 'failed'> {
  if (!row.outcome) return { changed: [], failed: [] };
  const o = JSON.parse(row.outcome) as Pick<RunOutcome, 'changed' | 'failed'>;
  return { changed: o.changed ?? [], failed: o.failed ?? [] };
}

export function runView(row: RunRow, steps: readonly RunStepRow[], live?: LiveProgress): RunView {
  const outcome = parseOutcome(row);
  const failed: RunFailureView[] = outcome.failed.map((f) => ({
    step: f.step,
    hostId: f.host,
    message: f.message,
    ...(f.remedy === undefined ? {} : { remedy: f.remedy }),
  }));
  return {
    id: row.id,
    clusterId: row.cluster_id,
    kind: row.kind,
    state: row.state,
    steps: steps.map((s) => stepView(s, live)),
    changed: outcome.changed,
    failed,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
