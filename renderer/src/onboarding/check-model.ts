/**
 * One cluster's onboarding state as the renderer holds it — the live step × host grid of the
 * running (or last) check and the latest report — and the pure reducer that applies the
 * backend's `onboarding.events` to it. Free of React and zustand so it is unit-tested directly.
 *
 * @see ../../../backend/src/onboarding/types.ts — `OnboardingEvent`, `ClusterCheckView`.
 * @see ../../../host-bootstrap/src/onboarding/check-hosts.ts — where progress events come from.
 */
import type {
  CheckStepName,
  ClusterCheckView,
  HostCheckView,
  OnboardingEvent,
} from '@nodeless/backend/api';

/** The steps of a check, in order (the grid's columns). */
export const CHECK_STEPS: readonly CheckStepName[] = [
  'connect',
  'trust',
  'privilege',
  'facts',
  'preflight',
];

/** `skipped`: not run because an earlier step failed. */
export type CellState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** One cell of the step × host grid. */
export interface GridCell {
  readonly state: CellState;
  /** Last description the engine sent for this step (e.g. "Connected as admin"). */
  readonly description?: string;
}

/** One host's row: a cell per step. */
export type GridRow = Readonly<Record<CheckStepName, GridCell>>;

/** The grid of one check: rows keyed by host id, in the order the check listed them. */
export interface CheckRun {
  readonly checkId: string;
  readonly rows: ReadonlyMap<string, GridRow>;
  /** True until its `check.finished` arrived. */
  readonly running: boolean;
  readonly startedAt?: string;
}

/** Everything the onboarding screens show for one cluster. */
export interface ClusterOnboarding {
  readonly run: CheckRun | null;
  readonly report: ClusterCheckView | null;
}

/** Inputs of {@link applyOnboarding}: stream events plus the `lastReport` query result. */
export type OnboardingInput = OnboardingEvent | { type: 'report.loaded'; report: ClusterCheckView };

/** A cluster nothing is known about yet (no check seen, no report). */
export const emptyOnboarding: ClusterOnboarding = { run: null, report: null };

const pendingRow = (): GridRow => ({
  connect: { state: 'pending' },
  trust: { state: 'pending' },
  privilege: { state: 'pending' },
  facts: { state: 'pending' },
  preflight: { state: 'pending' },
});

function stepIndex(step: string): number {
  return CHECK_STEPS.indexOf(step as CheckStepName);
}

/**
 * A row after `step` reached `state`. On failure, steps before it that were still running
 * have evidently passed (the engine got further), and steps after it will never run.
 */
function withCell(row: GridRow, step: CheckStepName, cell: GridCell): GridRow {
  const next: Record<CheckStepName, GridCell> = { ...row, [step]: cell };
  if (cell.state === 'failed' || cell.state === 'done') {
    const at = stepIndex(step);
    CHECK_STEPS.forEach((s, i) => {
      const st = next[s].state;
      if (i < at && (st === 'running' || st === 'pending')) next[s] = { ...next[s], state: 'done' };
      if (cell.state === 'failed' && i > at) next[s] = { state: 'skipped' };
    });
  }
  return next;
}

/** The grid a finished report implies, for a reload or a window that missed the live run. */
export function rowFromReport(host: HostCheckView): GridRow {
  let failedAt: number;
  let message: string;
  if (host.status === 'needs-trust') {
    failedAt = stepIndex('trust');
    message = host.failure?.message ?? 'Host key not trusted yet';
  } else if (host.status === 'failed') {
    failedAt = Math.max(0, stepIndex(host.failure?.step ?? 'connect'));
    message = host.failure?.message ?? 'Failed';
  } else {
    failedAt = -1;
    message = '';
  }
  const row: Record<CheckStepName, GridCell> = { ...pendingRow() };
  CHECK_STEPS.forEach((s, i) => {
    if (failedAt < 0 || i < failedAt) row[s] = { state: 'done' };
    else if (i === failedAt) row[s] = { state: 'failed', description: message };
    else row[s] = { state: 'skipped' };
  });
  return row;
}

/** Settles a run from its report, keeping the live descriptions where they still agree. */
function runFromReport(report: ClusterCheckView, live: CheckRun | null): CheckRun {
  const rows = new Map<string, GridRow>();
  for (const host of report.hosts) {
    const derived = rowFromReport(host);
    const seen = live?.checkId === report.checkId ? live.rows.get(host.hostId) : undefined;
    if (!seen) {
      rows.set(host.hostId, derived);
      continue;
    }
    const merged: Record<CheckStepName, GridCell> = { ...derived };
    for (const s of CHECK_STEPS) {
      const d = seen[s].description;
      if (seen[s].state === derived[s].state && d !== undefined && derived[s].state !== 'failed')
        merged[s] = { ...derived[s], description: d };
    }
    rows.set(host.hostId, merged);
  }
  return {
    checkId: report.checkId,
    rows,
    running: false,
    startedAt: report.startedAt,
  };
}

function isNewer(candidate: ClusterCheckView, current: ClusterCheckView | null): boolean {
  return current === null || candidate.finishedAt >= current.finishedAt;
}

/** Applies one input; returns the same object when nothing changed. */
function applyOne(state: ClusterOnboarding, input: OnboardingInput): ClusterOnboarding {
  switch (input.type) {
    case 'check.started': {
      const rows = new Map(input.hostIds.map((id) => [id, pendingRow()] as const));
      return {
        ...state,
        run: { checkId: input.checkId, rows, running: true, startedAt: input.at },
      };
    }
    case 'check.progress': {
      // Late progress of a check whose report we already have changes nothing.
      if (state.report?.checkId === input.checkId) return state;
      // A check that started before this window subscribed: build its grid as events come.
      const run: CheckRun =
        state.run?.checkId === input.checkId
          ? state.run
          : { checkId: input.checkId, rows: new Map(), running: true };
      const rows = new Map(run.rows);
      const row = rows.get(input.hostId) ?? pendingRow();
      rows.set(
        input.hostId,
        withCell(row, input.step, { state: input.state, description: input.description }),
      );
      return { ...state, run: { ...run, rows } };
    }
    case 'check.finished': {
      if (!isNewer(input.report, state.report)) return state;
      return { report: input.report, run: runFromReport(input.report, state.run) };
    }
    case 'report.loaded': {
      if (!isNewer(input.report, state.report)) return state;
      if (state.report?.checkId === input.report.checkId) return state;
      // A live run of a newer check keeps its grid; the report shows below it.
      const run = state.run?.running ? state.run : runFromReport(input.report, state.run);
      return { report: input.report, run };
    }
  }
}

/** Applies a batch of inputs in order. */
export function applyOnboarding(
  state: ClusterOnboarding,
  inputs: readonly OnboardingInput[],
): ClusterOnboarding {
  return inputs.reduce(applyOne, state);
}

/** Progress of one host: steps finished out of all steps (a failed host is complete). */
export function rowProgress(row: GridRow): { current: number; max: number } {
  const max = CHECK_STEPS.length;
  if (CHECK_STEPS.some((s) => row[s].state === 'failed')) return { current: max, max };
  return { current: CHECK_STEPS.filter((s) => row[s].state === 'done').length, max };
}

/** Progress of the whole check, summed over its hosts. */
export function runProgress(run: CheckRun): { current: number; max: number } {
  let current = 0;
  let max = 0;
  for (const row of run.rows.values()) {
    const p = rowProgress(row);
    current += p.current;
    max += p.max;
  }
  return { current, max };
}

/** One word for a row: what the user should read at a glance. */
export function rowOutcome(row: GridRow): 'waiting' | 'running' | 'done' | 'failed' {
  const states = CHECK_STEPS.map((s) => row[s].state);
  if (states.includes('failed')) return 'failed';
  if (states.every((s) => s === 'done')) return 'done';
  if (states.every((s) => s === 'pending')) return 'waiting';
  return 'running';
}
