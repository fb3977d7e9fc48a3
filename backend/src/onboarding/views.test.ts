import type { CheckResult, HostFacts, HostPreflight, HostReport } from '@nodeless/host-bootstrap';
import { describe, expect, it } from 'vitest';
import { clusterCheckView, type CheckedHostMeta } from './views.ts';

const GiB = 2 ** 30;
const facts = {
  os: { id: 'debian', idLike: [], versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  arch: 'x86_64',
  kernel: '6.1.0-18-amd64',
  cpu: { count: 4, model: 'Xeon', virtFlag: 'vmx', hypervisor: false },
  kvm: { status: 'usable', apiVersion: 12, detail: 'API 12' },
  vhostVsock: 'loaded',
  vhostNet: 'loaded',
  memory: { totalBytes: 8 * GiB, availableBytes: 6 * GiB },
  swap: { active: false, totalBytes: 0, devices: [] },
  disk: { path: '/var/lib', totalBytes: 100 * GiB, freeBytes: 50 * GiB },
  cgroup: { version: 2, fsType: 'cgroup2fs' },
  systemd: true,
  hostname: 'n1',
  machineId: 'm1',
  portsInUse: [],
  k3s: { installed: false, version: undefined, role: undefined, active: false },
  kata: { installed: false, version: undefined },
  problems: [],
} satisfies HostFacts;

const meta: CheckedHostMeta[] = [
  { id: 'h1', address: '10.0.0.1', port: 22, role: 'server' },
  { id: 'h2', address: '10.0.0.2', port: 2222, role: 'agent' },
  { id: 'h3', address: '10.0.0.3', port: 22, role: 'agent' },
];

function result(hosts: HostReport[], clusterLevel: 'ok' | 'block' = 'ok'): CheckResult {
  return {
    hosts,
    cluster: {
      level: clusterLevel,
      verdicts: [{ rule: 'servers', level: clusterLevel, reason: '1 server', remedy: '' }],
    },
    capacity: {
      runtime: 'kata-clh',
      hosts: [
        {
          name: 'h1',
          role: 'server',
          eligible: true,
          sandbox: 'microvm-ready',
          cpuCount: 4,
          memoryBytes: 8 * GiB,
          diskFreeBytes: 50 * GiB,
          allocatableCpuMilli: 3500,
          allocatableMemoryBytes: 6 * GiB,
        },
      ],
      total: { cpuMilli: 3500, memoryBytes: 6 * GiB },
      pods: [{ cpuMilli: 250, memoryBytes: GiB / 2, fit: 7 }],
    },
  };
}

const preflight: HostPreflight = {
  level: 'warn',
  sandbox: 'microvm-ready',
  verdicts: [
    { rule: 'arch', level: 'ok', reason: 'x86_64', remedy: '' },
    { rule: 'swap', level: 'warn', reason: 'swap on', remedy: 'swapoff -a' },
  ],
};
const ok: HostReport = {
  name: 'h1',
  role: 'server',
  status: 'ok',
  facts,
  clock: { skewMs: 120, uncertaintyMs: 3 },
  preflight,
};
const unknownKey: HostReport = {
  name: 'h2',
  role: 'agent',
  status: 'failed',
  failure: {
    step: 'trust',
    kind: 'host-key-unknown',
    message: 'never seen',
    remedy: 'compare',
    hostKey: {
      hostPattern: '[10.0.0.2]:2222',
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:new',
      keyBase64: 'AAAA',
    },
  },
};
const changedKey: HostReport = {
  name: 'h3',
  role: 'agent',
  status: 'failed',
  failure: {
    step: 'trust',
    kind: 'host-key-changed',
    message: 'CHANGED',
    remedy: 're-trust',
    hostKey: {
      hostPattern: '10.0.0.3',
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:now',
      keyBase64: 'AAAA',
      previousFingerprints: ['SHA256:before'],
    },
  },
};

const view = (r: CheckResult, hosts: CheckedHostMeta[] = meta) =>
  clusterCheckView({
    checkId: 'c',
    clusterId: 'k',
    startedAt: 's',
    finishedAt: 'f',
    hosts,
    result: r,
  });
const first = meta.slice(0, 1);

describe('clusterCheckView', () => {
  it('maps facts, verdicts, sandbox and capacity of a checked host', () => {
    const v = view(result([ok, unknownKey, changedKey]));
    expect(v.hosts[0]).toEqual({
      hostId: 'h1',
      address: '10.0.0.1',
      port: 22,
      role: 'server',
      status: 'warn',
      facts: {
        hostname: 'n1',
        os: 'Debian GNU/Linux 12 (bookworm)',
        arch: 'x86_64',
        kernel: '6.1.0-18-amd64',
        cpus: 4,
        cpuModel: 'Xeon',
        memoryBytes: 8 * GiB,
        diskFreeBytes: 50 * GiB,
        kvm: 'usable',
        cgroup: 'v2',
        clockSkewMs: 120,
      },
      sandbox: 'microvm-ready',
      verdicts: [
        { rule: 'arch', level: 'ok', reason: 'x86_64', remedy: '' },
        { rule: 'swap', level: 'warn', reason: 'swap on', remedy: 'swapoff -a' },
      ],
      capacity: { vcpu: 3.5, memoryBytes: 6 * GiB, diskBytes: 50 * GiB },
    });
    expect(v.capacity).toEqual({
      totalVcpu: 3.5,
      totalMemoryBytes: 6 * GiB,
      podsBySpec: [{ vcpu: 0.25, memoryGiB: 0.5, label: '0.25 vCPU / 0.5 GiB', pods: 7 }],
    });
  });

  it('turns host-key failures into needs-trust with the consent details', () => {
    const v = view(result([ok, unknownKey, changedKey]));
    expect(v.hosts[1]).toMatchObject({
      status: 'needs-trust',
      port: 2222,
      hostKey: {
        fingerprint: 'SHA256:new',
        keyType: 'ssh-ed25519',
        status: 'unknown',
        knownFingerprints: [],
      },
      failure: { step: 'trust', kind: 'host-key-unknown' },
    });
    expect(v.hosts[2]?.hostKey).toEqual({
      fingerprint: 'SHA256:now',
      keyType: 'ssh-ed25519',
      status: 'changed',
      knownFingerprints: ['SHA256:before'],
    });
    expect(v.blocking).toBe(true);
  });

  it('is blocking only when a host blocks, fails or awaits trust, or the cluster blocks', () => {
    expect(view(result([ok]), first).blocking).toBe(false);
    expect(view(result([ok], 'block'), first).blocking).toBe(true);
    const blocked: HostReport = { ...ok, preflight: { ...preflight, level: 'block' } };
    expect(view(result([blocked]), first).hosts[0]?.status).toBe('block');
    expect(view(result([blocked]), first).blocking).toBe(true);
    const failed: HostReport = {
      name: 'h1',
      role: 'server',
      status: 'failed',
      failure: {
        step: 'privilege',
        kind: 'sudo',
        message: 'wrong sudo password',
        remedy: 'fix it',
      },
    };
    const v = view(result([failed]), first);
    expect(v.hosts[0]).toMatchObject({ status: 'failed', failure: { kind: 'sudo' } });
    expect(v.hosts[0]?.hostKey).toBeUndefined();
    expect(v.blocking).toBe(true);
  });

  it('reports a host the engine returned nothing for as failed', () => {
    const v = view(result([ok]));
    expect(v.hosts[1]).toMatchObject({ hostId: 'h2', status: 'failed', verdicts: [] });
  });
});
