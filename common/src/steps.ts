/**
 * The step/progress contract of a bootstrap (DESIGN.md §4): the phases in execution order, the
 * states a step goes through, the progress event every layer passes on (engine → backend → API
 * → UI and CLI), and the check → apply → verify step both engines implement. Host steps come
 * from host-bootstrap, cluster steps from cluster-runtime; backend composes them into one plan.
 *
 * Progress is data, Rancher Desktop style: `{cluster, host, step, state, current, max,
 * description}`, so the UI and tests wait on it deterministically.
 *
 * @see ../../../shared/DESIGN.md §4 — phases and "progress is data"
 * @see https://github.com/rancher-sandbox/rancher-desktop/blob/main/pkg/rancher-desktop/backend/progressTracker.ts
 * @see https://github.com/k0sproject/k0sctl/tree/main/phase — ordered phases over hosts
 */

/** Phases in execution order; the UI's run grid has one column per phase. */
export const PHASES = [
  'prepare-os',
  'stage-artifacts',
  'k3s-server-init',
  'k3s-server-join',
  'k3s-agent-join',
  'sandbox-runtime',
  'cluster-baseline',
  'kubeconfig',
  'smoke-test',
] as const;
export type Phase = (typeof PHASES)[number];

/** One step's state as the runner reports it. */
export type StepState =
  | 'pending'
  | 'checking'
  | 'applying'
  | 'verifying'
  /** check() found it already in place: nothing changed. */
  | 'unchanged'
  /** applied and verified. */
  | 'done'
  | 'failed'
  | 'cancelled';

/** States a step does not leave. */
export const TERMINAL_STATES: readonly StepState[] = ['unchanged', 'done', 'failed', 'cancelled'];

/** Determinate progress within a step (bytes uploaded, nodes Ready, …); `max` 0 = unknown. */
export interface StepProgress {
  current: number;
  max: number;
  description: string;
}

/** A progress event (also what the backend streams to the UI and the CLI prints). */
export interface BootstrapEvent extends StepProgress {
  cluster: string;
  /** Host name, or null for cluster-level steps. */
  host: string | null;
  /** Step key, unique in the plan (e.g. `prepare-os@node-1`). */
  step: string;
  phase: Phase;
  state: StepState;
}

export interface CheckResult {
  /** True when the desired state is already in place (apply will be skipped). */
  satisfied: boolean;
  /** Plain words: what is in place or what will change ("k3s v1.33.1+k3s1 installed"). */
  detail: string;
}

export interface StepContext {
  /** Aborted when the user cancels; steps in flight finish their current command. */
  signal: AbortSignal;
  /** Determinate progress inside apply (e.g. bytes of an upload, nodes Ready out of total). */
  progress(current: number, max: number, description: string): void;
  /** A log line for this step; the runner redacts secrets before storing it. */
  log(line: string): void;
}

/**
 * Every step is check → apply → verify: a re-run whose check is satisfied changes nothing, and a
 * failed run resumes from its first unfinished step.
 */
export interface Step {
  /** Unique, stable across runs of the same spec (the journal's key). */
  key: string;
  phase: Phase;
  /** The host it runs on, or null for a cluster-level step (it talks to the Kubernetes API). */
  host: string | null;
  title: string;
  check(ctx: StepContext): Promise<CheckResult>;
  apply(ctx: StepContext): Promise<void>;
  /** Throws (or returns satisfied=false) when the applied change did not take. */
  verify(ctx: StepContext): Promise<CheckResult>;
}
