/**
 * TEMPORARY local mirror of the onboarding view types of the API contract, used only until
 * `@nodeless/backend/api` exports them (the backend router is being written in parallel).
 * Field names follow the shared contract exactly so switching is an import change only.
 *
 * @see /tmp/briefs/onboarding-contract.md — the shared contract these mirror.
 */

export type CheckStepName = 'connect' | 'trust' | 'privilege' | 'facts' | 'preflight';

export type HostCheckStatus = 'ok' | 'warn' | 'block' | 'failed' | 'needs-trust';

export interface VerdictView {
  rule: string;
  level: 'block' | 'warn' | 'ok';
  reason: string;
  remedy?: string;
}

export interface HostKeyView {
  fingerprint: string;
  keyType: string;
  status: 'unknown' | 'changed';
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
  role: 'server' | 'agent';
  status: HostCheckStatus;
  failure?: { step: string; kind: string; message: string; remedy: string };
  hostKey?: HostKeyView;
  facts?: HostFactsView;
  sandbox?: 'microvm-ready' | 'gvisor-only' | 'unsupported';
  verdicts: VerdictView[];
  capacity?: { vcpu: number; memoryBytes: number; diskBytes: number };
}

export interface ClusterCheckView {
  checkId: string;
  clusterId: string;
  startedAt: string;
  finishedAt: string;
  hosts: HostCheckView[];
  cluster: { verdicts: VerdictView[] };
  capacity: {
    totalVcpu: number;
    totalMemoryBytes: number;
    podsBySpec: { vcpu: number; memoryGiB: number; label: string; pods: number }[];
  };
  blocking: boolean;
}

export type OnboardingEvent =
  | { type: 'check.started'; checkId: string; clusterId: string; hostIds: string[]; at: string }
  | {
      type: 'check.progress';
      checkId: string;
      hostId: string;
      step: CheckStepName;
      state: 'running' | 'done' | 'failed';
      current: number;
      max: number;
      description: string;
    }
  | { type: 'check.finished'; checkId: string; report: ClusterCheckView };

export interface SshConfigHostView {
  alias: string;
  hostName: string;
  user?: string;
  port?: number;
  identityFile?: string;
  proxyJump?: string;
}
