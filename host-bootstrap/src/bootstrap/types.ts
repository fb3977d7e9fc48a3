/**
 * The bootstrap engine's own types (DESIGN.md §4 phases 5–12): what the user asks for, a plan
 * of ordered waves of steps, its preview, the run journal and the outcome. The step contract
 * itself — phases, step states, `Step` (check → apply → verify), progress events — is common's,
 * shared with cluster-runtime's steps, the backend and the UI.
 *
 * @see ../../../common/src/steps.ts — the step/progress contract
 * @see https://github.com/k0sproject/k0sctl/tree/main/phase — ordered phases over hosts
 */
import type { Phase, Step, StepState } from '@nodeless/common';

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
