/**
 * Sensible install defaults from the last check report (DESIGN.md §4): roles from the
 * inventory; sandbox kata-clh when every host is microVM-ready, else gVisor; the pinned k3s
 * version; and the reasons an install cannot start yet ("blockers").
 *
 * @see ../onboarding/views.ts — the check report these read
 */
import { PINNED_K3S_VERSION } from '@nodeless/host-bootstrap/bootstrap';
import type { ClusterCheckView } from '../onboarding/types.ts';
import type { BootstrapHost } from './hosts.ts';
import type { ConcreteSandbox } from './run-spec.ts';
import type {
  ArtifactsView,
  InstallOptionsView,
  SandboxChoiceView,
  SandboxValue,
} from './types.ts';

/**
 * The k3s release installed by default (and the ones offered). Pinned: an install must be
 * reproducible, and the stand-in bundle carries the same tag. Only v1.36 and newer: the
 * serverless layer needs MutatingAdmissionPolicy, GA from Kubernetes 1.36; the engine refuses
 * older releases (host-bootstrap's k3s-version.ts).
 * @see https://github.com/k3s-io/k3s/releases
 * @see https://github.com/k3s-io/k3s/pull/14492 — v1.36.3+k3s1 on the stable channel
 */
export const DEFAULT_K3S_VERSION = PINNED_K3S_VERSION;
export const K3S_VERSIONS = [PINNED_K3S_VERSION] as const;

export const UPGRADE_NOT_SUPPORTED = {
  supported: false,
  reason: 'Upgrades are not implemented yet',
} as const;

const LABELS: Record<SandboxValue, string> = {
  auto: 'Automatic (microVM where KVM is usable, else gVisor)',
  'kata-clh': 'Kata Containers with Cloud Hypervisor (microVM)',
  'kata-qemu': 'Kata Containers with QEMU (microVM)',
  'kata-fc': 'Kata Containers with Firecracker (microVM, devmapper)',
  gvisor: 'gVisor (user-space kernel, no KVM needed)',
};

/** True when every host of the report that is in `ids` is microVM-ready. */
function allMicrovm(report: ClusterCheckView | null, ids: readonly string[]): boolean {
  if (!report || ids.length === 0) return false;
  return ids.every((id) => report.hosts.find((h) => h.hostId === id)?.sandbox === 'microvm-ready');
}

/** `auto` → kata-clh when every member is microVM-ready, else gvisor. */
export function resolveSandboxChoice(
  choice: SandboxValue,
  report: ClusterCheckView | null,
  members: readonly string[],
): ConcreteSandbox {
  if (choice !== 'auto') return choice;
  return allMicrovm(report, members) ? 'kata-clh' : 'gvisor';
}

/** Why an install of `members` cannot start; empty when it can. */
export function installBlockers(
  report: ClusterCheckView | null,
  members: readonly BootstrapHost[],
  /** Hosts already in the installed cluster: their k3s and its ports are ours, not a conflict. */
  installed: ReadonlySet<string> = new Set(),
): string[] {
  if (members.length === 0) return ['The cluster has no hosts yet: add machines first.'];
  if (!report) return ['No check report yet: check the hosts first.'];
  const out: string[] = [];
  for (const host of members) {
    const h = report.hosts.find((x) => x.hostId === host.id);
    if (!h) {
      out.push(`${host.label} was not part of the last check: check the hosts again.`);
      continue;
    }
    if (h.status === 'needs-trust') out.push(`${host.label}: trust its host key first.`);
    else if (h.status === 'failed')
      out.push(`${host.label}: the check failed (${h.failure?.message ?? 'unknown error'}).`);
    if (installed.has(host.id)) continue;
    for (const v of h.verdicts.filter((x) => x.level === 'block'))
      out.push(`${host.label}: ${v.reason}${v.remedy ? ` ${v.remedy}` : ''}`);
  }
  for (const v of report.cluster.verdicts.filter((x) => x.level === 'block'))
    out.push(`${v.reason}${v.remedy ? ` ${v.remedy}` : ''}`);
  return out;
}

/** The install screen's starting point. */
export function installDefaults(
  report: ClusterCheckView | null,
  hosts: readonly BootstrapHost[],
  artifacts: ArtifactsView = { kind: 'online' },
): InstallOptionsView {
  const ids = hosts.map((h) => h.id);
  const microvm = allMicrovm(report, ids);
  const sandboxChoices: SandboxChoiceView[] = (Object.keys(LABELS) as SandboxValue[]).map(
    (value) => {
      const kata = value.startsWith('kata-');
      if (!kata || microvm) return { value, label: LABELS[value], available: true };
      return {
        value,
        label: LABELS[value],
        available: false,
        reason: report
          ? 'Not every host has usable KVM with vhost_vsock and vhost_net (see the check report).'
          : 'Check the hosts first: microVMs need usable KVM on every host.',
      };
    },
  );
  return {
    servers: hosts.filter((h) => h.role === 'server').map((h) => h.id),
    agents: hosts.filter((h) => h.role === 'agent').map((h) => h.id),
    sandbox: microvm ? 'kata-clh' : 'gvisor',
    sandboxChoices,
    k3sVersion: DEFAULT_K3S_VERSION,
    k3sVersions: [...K3S_VERSIONS],
    artifacts,
    blockers: installBlockers(report, hosts),
    upgrade: { ...UPGRADE_NOT_SUPPORTED },
  };
}
