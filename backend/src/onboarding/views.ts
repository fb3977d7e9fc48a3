/**
 * Engine result → API view. Pure: the same mapping serves the API (hosts named by inventory
 * id) and the CLI (hosts named by address). Host-key failures become `needs-trust` with what
 * the consent dialog needs; a host that passed the check takes its preflight level as status.
 *
 * @see ../../../host-bootstrap/src/onboarding/check-hosts.ts — `CheckResult`, `HostReport`
 */
import { describeSize, gibOf, vcpuOf, type HostRole } from '@nodeless/common';
import type { CapacityMap, CheckResult, HostReport } from '@nodeless/host-bootstrap';
import type {
  ClusterCheckView,
  HostCheckStatus,
  HostCheckView,
  HostFactsView,
  PodsBySpecView,
} from './types.ts';

/** How a checked host is shown; `id` is the name the engine reported it under. */
export interface CheckedHostMeta {
  id: string;
  address: string;
  port: number;
  role: HostRole;
}

function hostStatus(report: HostReport): HostCheckStatus {
  if (report.status === 'failed') {
    const kind = report.failure?.kind;
    return kind === 'host-key-unknown' || kind === 'host-key-changed' ? 'needs-trust' : 'failed';
  }
  return report.preflight?.level ?? 'ok';
}

function factsView(report: HostReport): HostFactsView | undefined {
  const f = report.facts;
  if (!f) return undefined;
  return {
    hostname: f.hostname,
    os: f.os.prettyName,
    arch: f.arch,
    kernel: f.kernel,
    cpus: f.cpu.count,
    cpuModel: f.cpu.model,
    memoryBytes: f.memory.totalBytes,
    diskFreeBytes: f.disk.freeBytes,
    kvm: f.kvm.status,
    cgroup: f.cgroup.version === undefined ? 'unknown' : `v${f.cgroup.version}`,
    ...(report.clock ? { clockSkewMs: report.clock.skewMs } : {}),
  };
}

/** One host's view from its engine report and its capacity card. */
export function hostCheckView(
  meta: CheckedHostMeta,
  report: HostReport | undefined,
  capacity: CapacityMap,
): HostCheckView {
  const base = { hostId: meta.id, address: meta.address, port: meta.port, role: meta.role };
  if (!report) {
    return {
      ...base,
      status: 'failed',
      failure: {
        step: 'connect',
        kind: 'command',
        message: 'The check produced no result for this host.',
        remedy: 'Run the check again.',
      },
      verdicts: [],
    };
  }
  const status = hostStatus(report);
  const failure = report.failure;
  const key = failure?.hostKey;
  const facts = factsView(report);
  const card = capacity.hosts.find((c) => c.name === report.name);
  return {
    ...base,
    status,
    ...(failure
      ? {
          failure: {
            step: failure.step,
            kind: failure.kind,
            message: failure.message,
            remedy: failure.remedy,
          },
        }
      : {}),
    ...(status === 'needs-trust' && key
      ? {
          hostKey: {
            fingerprint: key.fingerprint,
            keyType: key.keyType,
            status: failure?.kind === 'host-key-changed' ? 'changed' : 'unknown',
            knownFingerprints: [...(key.previousFingerprints ?? [])],
          },
        }
      : {}),
    ...(facts ? { facts } : {}),
    ...(report.preflight ? { sandbox: report.preflight.sandbox } : {}),
    verdicts: report.preflight?.verdicts ?? [],
    ...(card
      ? {
          capacity: {
            vcpu: card.allocatableCpuMilli / 1000,
            memoryBytes: card.allocatableMemoryBytes,
            diskBytes: card.diskFreeBytes,
          },
        }
      : {}),
  };
}

/** The whole report. `hosts` gives the order and how each host is shown. */
export function clusterCheckView(input: {
  checkId: string;
  clusterId: string;
  startedAt: string;
  finishedAt: string;
  hosts: readonly CheckedHostMeta[];
  result: CheckResult;
}): ClusterCheckView {
  const { result } = input;
  const hosts = input.hosts.map((meta) =>
    hostCheckView(
      meta,
      result.hosts.find((r) => r.name === meta.id),
      result.capacity,
    ),
  );
  const podsBySpec: PodsBySpecView[] = result.capacity.pods.map((p) => ({
    vcpu: vcpuOf(p),
    memoryGiB: gibOf(p),
    label: describeSize(p),
    pods: p.fit,
  }));
  const blocking =
    result.cluster.level === 'block' ||
    hosts.some((h) => h.status === 'block' || h.status === 'failed' || h.status === 'needs-trust');
  return {
    checkId: input.checkId,
    clusterId: input.clusterId,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    hosts,
    cluster: { verdicts: result.cluster.verdicts },
    capacity: {
      totalVcpu: result.capacity.total.cpuMilli / 1000,
      totalMemoryBytes: result.capacity.total.memoryBytes,
      podsBySpec,
    },
    blocking,
  };
}
