/**
 * The onboarding views the API returns and the renderer imports (type-only) through
 * `@nodeless/backend/api`. Field names follow the shared onboarding contract; secrets never
 * appear here.
 *
 * @see ../../../host-bootstrap/src/onboarding/check-hosts.ts — the engine's `HostReport`
 */
import type { HostRole, SandboxReadiness, StepProgress, Verdict } from '@nodeless/common';

/** Steps of a host check, in order. */
export type CheckStepName = 'connect' | 'trust' | 'privilege' | 'facts' | 'preflight';

/** `needs-trust`: the host key is unknown or changed; the user must decide. */
export type HostCheckStatus = 'ok' | 'warn' | 'block' | 'failed' | 'needs-trust';

/** What the fingerprint consent dialog shows. */
export interface HostKeyView {
  /** OpenSSH SHA256 fingerprint of the key presented now. */
  fingerprint: string;
  keyType: string;
  status: 'unknown' | 'changed';
  /** Fingerprints trusted before (empty for a first contact). */
  knownFingerprints: string[];
}

export interface HostFactsView {
  hostname: string;
  os: string;
  arch: string;
  kernel: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  diskFreeBytes: number;
  kvm: string;
  cgroup: string;
  clockSkewMs?: number;
}

export interface HostCheckView {
  hostId: string;
  address: string;
  port: number;
  role: HostRole;
  status: HostCheckStatus;
  failure?: { step: string; kind: string; message: string; remedy: string };
  /** Present when `status` is `needs-trust`. */
  hostKey?: HostKeyView;
  facts?: HostFactsView;
  sandbox?: SandboxReadiness;
  /** As the engine made them: `remedy` is empty for `ok`. */
  verdicts: readonly Verdict[];
  /** Allocatable for pods after the k3s reserve. */
  capacity?: { vcpu: number; memoryBytes: number; diskBytes: number };
}

export interface PodsBySpecView {
  vcpu: number;
  memoryGiB: number;
  /** e.g. `1 vCPU / 2 GiB` (common's `describeSize`). */
  label: string;
  pods: number;
}

export interface ClusterCheckView {
  checkId: string;
  clusterId: string;
  startedAt: string;
  finishedAt: string;
  hosts: HostCheckView[];
  cluster: { verdicts: readonly Verdict[] };
  capacity: { totalVcpu: number; totalMemoryBytes: number; podsBySpec: PodsBySpecView[] };
  /** Any host or cluster verdict blocks, or a host failed. */
  blocking: boolean;
}

/** Pushed on `onboarding.events`. */
export type OnboardingEvent =
  | { type: 'check.started'; checkId: string; clusterId: string; hostIds: string[]; at: string }
  | ({
      type: 'check.progress';
      checkId: string;
      hostId: string;
      step: CheckStepName;
      state: 'running' | 'done' | 'failed';
    } & StepProgress)
  | { type: 'check.finished'; checkId: string; report: ClusterCheckView };

/** A concrete `Host` alias of `~/.ssh/config` (for "Import from ~/.ssh/config"). */
export interface SshConfigHostView {
  alias: string;
  hostName: string;
  user?: string;
  port?: number;
  identityFile?: string;
  proxyJump?: string;
}
