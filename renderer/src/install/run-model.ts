/**
 * One cluster's bootstrap state as the renderer holds it — the latest run with every step's
 * last state, and its log lines per host — and the pure reducer that applies the backend's
 * `bootstrap.events` to it. Steps live in a map keyed by step key, so an event costs one map
 * write (never a search). Free of React and zustand so it is unit-tested directly.
 *
 * @see ../../../backend/src/bootstrap/types.ts — `BootstrapStreamEvent`, `RunView`.
 * @see ../../../common/src/steps.ts — `PHASES`, `StepState`.
 */
import type { Phase } from '@nodeless/common';
import type {
  BootstrapStreamEvent,
  LogLineView,
  RunFailureView,
  RunKind,
  RunState,
  RunStepView,
  RunView,
} from '@nodeless/backend/api';

/** Column titles in the user's words. */
export const PHASE_LABELS: Record<Phase, string> = {
  'prepare-os': 'Prepare OS',
  'stage-artifacts': 'Stage artifacts',
  'k3s-server-init': 'k3s server',
  'k3s-server-join': 'Join servers',
  'k3s-agent-join': 'Join agents',
  'sandbox-runtime': 'Sandbox runtime',
  'cluster-baseline': 'Baseline',
  kubeconfig: 'Kubeconfig',
  'smoke-test': 'Smoke test',
};

/** Row id of cluster-level steps (host id null). */
export const CLUSTER_ROW = 'cluster';

/** Log lines kept per row; older ones are dropped (the full log stays in the backend). */
export const MAX_LOG_LINES = 2_000;

/** What a run is, without its steps. */
export interface RunMeta {
  readonly id: string;
  readonly kind: RunKind;
  readonly state: RunState;
  readonly failed: readonly RunFailureView[];
  readonly changed: readonly string[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** A log line as shown: which step wrote it. */
export interface LogLine {
  readonly step: string;
  readonly line: string;
}

/** The latest run of a cluster. */
export interface RunSnapshot {
  readonly meta: RunMeta;
  /** Step key → last known state, in plan order (insertion order). */
  readonly steps: ReadonlyMap<string, RunStepView>;
  /** Row id (host id or {@link CLUSTER_ROW}) → log lines, oldest first. */
  readonly logs: ReadonlyMap<string, readonly LogLine[]>;
}

/** Everything the install screens show for one cluster. */
export interface ClusterBootstrap {
  readonly run: RunSnapshot | null;
}

/** Inputs of {@link applyBootstrap}: stream events plus the `bootstrap.logs` query result. */
export type BootstrapInput =
  BootstrapStreamEvent | { type: 'logs.loaded'; runId: string; lines: readonly LogLineView[] };

export const emptyBootstrap: ClusterBootstrap = { run: null };

function metaOf(run: RunView): RunMeta {
  return {
    id: run.id,
    kind: run.kind,
    state: run.state,
    failed: run.failed,
    changed: run.changed,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

/** The row a step belongs to: its host, or the cluster row. */
export function rowOf(step: { hostId: string | null }): string {
  return step.hostId ?? CLUSTER_ROW;
}

/** Row of a step key seen only in a log line: `phase@host` names the host. */
function rowOfKey(steps: ReadonlyMap<string, RunStepView>, key: string): string {
  const known = steps.get(key);
  if (known) return rowOf(known);
  const at = key.lastIndexOf('@');
  return at >= 0 ? key.slice(at + 1) : CLUSTER_ROW;
}

/** A whole run view replaces what is known of that run (its steps are authoritative). */
function fromView(prev: RunSnapshot | null, view: RunView): RunSnapshot {
  const sameRun = prev?.meta.id === view.id;
  const steps = new Map<string, RunStepView>(sameRun ? prev.steps : []);
  for (const s of view.steps) steps.set(s.key, s);
  return { meta: metaOf(view), steps, logs: sameRun ? prev.logs : new Map() };
}

function appendLogs(
  logs: ReadonlyMap<string, readonly LogLine[]>,
  additions: ReadonlyMap<string, LogLine[]>,
): Map<string, readonly LogLine[]> {
  const next = new Map(logs);
  for (const [row, lines] of additions) {
    const all = [...(next.get(row) ?? []), ...lines];
    next.set(row, all.length > MAX_LOG_LINES ? all.slice(all.length - MAX_LOG_LINES) : all);
  }
  return next;
}

/** Applies a batch of inputs; returns `state` itself when nothing changed. */
export function applyBootstrap(
  state: ClusterBootstrap,
  inputs: readonly BootstrapInput[],
): ClusterBootstrap {
  let run = state.run;
  // Copy-on-write per batch: one new map per batch, not per event.
  let steps: Map<string, RunStepView> | null = null;
  let pendingLogs: Map<string, LogLine[]> | null = null;
  const flushLogs = (): void => {
    if (run && pendingLogs) run = { ...run, logs: appendLogs(run.logs, pendingLogs) };
    pendingLogs = null;
  };
  const flushSteps = (): void => {
    if (run && steps) run = { ...run, steps };
    steps = null;
  };
  for (const input of inputs) {
    switch (input.type) {
      case 'run.started':
      case 'run.finished': {
        flushSteps();
        flushLogs();
        // An older run's late event never replaces a newer run.
        if (run && run.meta.id !== input.run.id && input.run.startedAt < run.meta.startedAt) break;
        run = fromView(run, input.run);
        break;
      }
      case 'run.step': {
        if (run?.meta.id !== input.runId) {
          // The run's start was missed (stream opened mid-event): start from its events.
          if (run && run.meta.state === 'running') break;
          flushLogs();
          run = {
            meta: {
              id: input.runId,
              kind: 'install',
              state: 'running',
              failed: [],
              changed: [],
              startedAt: new Date().toISOString(),
              finishedAt: null,
            },
            steps: new Map(),
            logs: new Map(),
          };
        }
        const e = input.event;
        steps ??= new Map(run.steps);
        steps.set(e.step, {
          key: e.step,
          phase: e.phase,
          hostId: e.hostId,
          state: e.state,
          current: e.current,
          max: e.max,
          description: e.description,
          detail: steps.get(e.step)?.detail ?? '',
        });
        break;
      }
      case 'run.log': {
        if (run?.meta.id !== input.runId) break;
        const row = rowOfKey(steps ?? run.steps, input.step);
        pendingLogs ??= new Map();
        const list = pendingLogs.get(row);
        const line = { step: input.step, line: input.line };
        if (list) list.push(line);
        else pendingLogs.set(row, [line]);
        break;
      }
      case 'logs.loaded': {
        if (run?.meta.id !== input.runId) break;
        flushSteps();
        flushLogs();
        run = { ...run, logs: mergeLoaded(run.logs, run.steps, input.lines) };
        break;
      }
    }
  }
  flushSteps();
  flushLogs();
  return run === state.run ? state : { run };
}

/**
 * Stored lines (from `bootstrap.logs`) are the history; live lines already shown that the
 * stored ones also contain are not repeated, later live lines stay after them.
 */
function mergeLoaded(
  logs: ReadonlyMap<string, readonly LogLine[]>,
  steps: ReadonlyMap<string, RunStepView>,
  loaded: readonly LogLineView[],
): Map<string, readonly LogLine[]> {
  const byRow = new Map<string, LogLine[]>();
  for (const l of loaded) {
    const row = rowOfKey(steps, l.step);
    const list = byRow.get(row);
    const line = { step: l.step, line: l.line };
    if (list) list.push(line);
    else byRow.set(row, [line]);
  }
  const next = new Map<string, readonly LogLine[]>(logs);
  for (const [row, stored] of byRow) {
    const live = logs.get(row) ?? [];
    const seen = new Map<string, number>();
    for (const l of stored)
      seen.set(`${l.step}\n${l.line}`, (seen.get(`${l.step}\n${l.line}`) ?? 0) + 1);
    const extra = live.filter((l) => {
      const k = `${l.step}\n${l.line}`;
      const n = seen.get(k) ?? 0;
      if (n > 0) {
        seen.set(k, n - 1);
        return false;
      }
      return true;
    });
    const all = [...stored, ...extra];
    next.set(row, all.length > MAX_LOG_LINES ? all.slice(all.length - MAX_LOG_LINES) : all);
  }
  return next;
}
