/**
 * The bootstrap contract (DESIGN.md §4 phases 5–12): a plan is ordered waves of steps; every
 * step is check → apply → verify, so a re-run changes nothing and a failed run resumes from
 * its first unfinished step. The runner is generic: host steps come from host-bootstrap,
 * cluster steps (baseline manifests, smoke test) from cluster-runtime, composed by the backend.
 *
 * Progress is data, Rancher Desktop style: `{cluster, host, step, state, current, max,
 * description}`, so the UI and tests wait on it deterministically.
 *
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

export type SandboxSpec = 'kata-clh' | 'kata-qemu' | 'kata-fc' | 'gvisor' | 'auto';

export type ArtifactSource =
  | {
      kind: 'online';
      /** Kata release to download (default: steps/kata-assets.ts DEFAULT_KATA_VERSION). */
      kataVersion?: string;
      /**
       * sha256 of that release's tarball (cluster file `spec.artifacts.kataSha256`). Kata
       * publishes no checksums: required for an online Kata install unless Nodeless pins one.
       */
      kataSha256?: string;
      /** gVisor release (`yyyymmdd.n`) to download (default: steps/online.ts). */
      gvisorRelease?: string;
    }
  /** A directory on the desktop holding an airgap bundle (manifest.json + files). */
  | { kind: 'bundle'; path: string };

/** What the user asked for; `plan()` turns it into steps. */
export interface ClusterSpec {
  /** Cluster name: kubeconfig context, k3s node labels. */
  name: string;
  /** Host names (keys into the host connection map), in join order; 1 or an odd number. */
  servers: string[];
  agents: string[];
  k3sVersion: string;
  sandbox: SandboxSpec;
  artifacts: ArtifactSource;
  /** Address the desktop reaches the first server on (kubeconfig server URL, agents' server). */
  serverAddress: string;
}

/** One host step's or cluster step's state as the runner reports it. */
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

export const TERMINAL_STATES: readonly StepState[] = ['unchanged', 'done', 'failed', 'cancelled'];

/** A progress event (also what the backend streams to the UI and the CLI prints). */
export interface BootstrapEvent {
  cluster: string;
  /** Host name, or null for cluster-level steps. */
  host: string | null;
  /** Step key, unique in the plan (e.g. `prepare-os@node-1`). */
  step: string;
  phase: Phase;
  state: StepState;
  /** Determinate progress within the step when known (bytes uploaded, nodes ready, …). */
  current: number;
  max: number;
  description: string;
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
  /** Determinate progress inside apply (e.g. bytes of an upload). */
  progress(current: number, max: number, description: string): void;
  /** A log line for this step; the runner redacts secrets before storing it. */
  log(line: string): void;
}

export interface Step {
  /** Unique, stable across runs of the same spec (the journal's key). */
  key: string;
  phase: Phase;
  host: string | null;
  title: string;
  check(ctx: StepContext): Promise<CheckResult>;
  apply(ctx: StepContext): Promise<void>;
  /** Throws (or returns ok=false) when the applied change did not take. */
  verify(ctx: StepContext): Promise<CheckResult>;
}

/**
 * Waves run in order; steps inside one wave run in parallel up to the runner's concurrency
 * limit. Servers joining an HA cluster are each their own wave (etcd quorum stays safe);
 * agents share one wave.
 */
export interface Plan {
  cluster: string;
  waves: Step[][];
}

/** What a preview shows per step: what is in place and what would change. */
export interface PlanPreviewItem {
  key: string;
  phase: Phase;
  host: string | null;
  title: string;
  willChange: boolean;
  detail: string;
}

/** Persisted per-step outcome, so Resume continues from the first unfinished step. */
export interface JournalEntry {
  runId: string;
  step: string;
  state: StepState;
  detail: string;
  updatedAt: string;
}

/** Run journal; the backend implements it on SQLite (`runs`, `run_steps`, `run_logs`). */
export interface Journal {
  entries(runId: string): JournalEntry[];
  record(entry: JournalEntry): void;
  /** Already-redacted log line of a step. */
  log(runId: string, step: string, line: string): void;
}

export interface RunOutcome {
  runId: string;
  state: 'succeeded' | 'failed' | 'cancelled';
  /** Steps that changed something; empty on an idempotent re-run. */
  changed: string[];
  failed: Array<{ step: string; host: string | null; message: string; remedy?: string }>;
}
