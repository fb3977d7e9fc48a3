/**
 * The bootstrap views the API returns and the renderer imports (type-only) through
 * `@nodeless/backend/api`. Phases, step states and the progress event are common's step
 * contract, which the renderer imports too; kubeconfigs and tokens never appear here.
 *
 * @see ../../../common/src/steps.ts — `Phase`, `StepState`, `BootstrapEvent`
 */
import type { BootstrapEvent, Phase, StepProgress, StepState } from '@nodeless/common';

export type SandboxValue = 'kata-clh' | 'kata-qemu' | 'kata-fc' | 'gvisor' | 'auto';

/** Where the artifacts come from: online (Kata release and its sha256 when given) or a bundle. */
export type ArtifactsView =
  { kind: 'online'; kataVersion?: string; kataSha256?: string } | { kind: 'bundle'; path: string };

export interface SandboxChoiceView {
  value: SandboxValue;
  label: string;
  available: boolean;
  reason?: string;
}

/** `bootstrap.defaults`: what the install screen starts from. */
export interface InstallOptionsView {
  /** Host ids. */
  servers: string[];
  agents: string[];
  sandbox: SandboxValue;
  sandboxChoices: SandboxChoiceView[];
  k3sVersion: string;
  k3sVersions: string[];
  artifacts: ArtifactsView;
  /** Why an install is not possible yet (no check report, blocking verdicts, …). */
  blockers: string[];
  upgrade: { supported: false; reason: string };
}

/** One preview line (the engine's `PlanPreviewItem` plus which host it is). */
export interface PreviewItemView {
  key: string;
  phase: Phase;
  host: string | null;
  hostId: string | null;
  hostLabel: string | null;
  title: string;
  willChange: boolean;
  detail: string;
}

export interface PreviewView {
  items: PreviewItemView[];
  changes: number;
  unchanged: number;
}

export type RunKind = 'install' | 'add-hosts' | 'remove-host' | 'reset';
export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface RunStepView extends StepProgress {
  key: string;
  phase: Phase;
  hostId: string | null;
  state: StepState;
  detail: string;
}

export interface RunFailureView {
  step: string;
  hostId: string | null;
  message: string;
  remedy?: string;
}

export interface RunView {
  id: string;
  clusterId: string;
  kind: RunKind;
  /** `interrupted`: the app stopped mid-run; Resume continues it. */
  state: RunState;
  steps: RunStepView[];
  /** Steps that changed something (empty on an idempotent re-run). */
  changed: string[];
  failed: RunFailureView[];
  startedAt: string;
  finishedAt: string | null;
}

/** A progress event as the engine reports it, plus the inventory host id. */
export interface BootstrapStepEvent extends BootstrapEvent {
  hostId: string | null;
}

/** Pushed on `bootstrap.events`. */
export type BootstrapStreamEvent =
  | { type: 'run.started'; run: RunView }
  | { type: 'run.step'; runId: string; event: BootstrapStepEvent }
  | { type: 'run.log'; runId: string; step: string; line: string }
  | { type: 'run.finished'; run: RunView };

export interface LogLineView {
  step: string;
  at: string;
  line: string;
}

/** `bootstrap.cluster`: is it installed, and where. */
export interface ClusterInstallView {
  installed: boolean;
  kubeconfigStored: boolean;
  serverUrl?: string;
  nodes?: number;
  sandbox?: string;
  k3sVersion?: string;
  /**
   * Inventory host ids in the installed cluster, by the role they run (as the install record
   * keeps them after every install, add, remove); absent when nothing is installed.
   */
  members?: ClusterMembersView;
}

/** The hosts of an installed cluster. */
export interface ClusterMembersView {
  servers: string[];
  agents: string[];
}
