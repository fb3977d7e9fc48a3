import { describe, expect, it } from 'vitest';
import type { ClusterCheckView } from '../onboarding/types.ts';
import { renderReport } from './table.ts';

const GiB = 2 ** 30;
const report: ClusterCheckView = {
  checkId: 'c',
  clusterId: 'lab',
  startedAt: 's',
  finishedAt: 'f',
  hosts: [
    {
      hostId: '10.0.0.1',
      address: '10.0.0.1',
      port: 22,
      role: 'server',
      status: 'block',
      facts: {
        hostname: 'n1',
        os: 'Debian',
        arch: 'x86_64',
        kernel: '6.1',
        cpus: 4,
        cpuModel: 'x',
        memoryBytes: 8 * GiB,
        diskFreeBytes: 40 * GiB,
        kvm: 'absent',
        cgroup: 'v2',
      },
      sandbox: 'gvisor-only',
      verdicts: [
        { rule: 'arch', level: 'ok', reason: 'x86_64', remedy: '' },
        {
          rule: 'port-6443',
          level: 'block',
          reason: 'port 6443/tcp is in use by node',
          remedy: 'Stop node.',
        },
        { rule: 'sandbox', level: 'warn', reason: 'no /dev/kvm', remedy: 'Enable VT-x.' },
      ],
      capacity: { vcpu: 3.5, memoryBytes: 6 * GiB, diskBytes: 40 * GiB },
    },
    {
      hostId: '10.0.0.2:2222',
      address: '10.0.0.2',
      port: 2222,
      role: 'agent',
      status: 'needs-trust',
      failure: {
        step: 'trust',
        kind: 'host-key-unknown',
        message: 'never seen',
        remedy: 'compare',
      },
      hostKey: {
        fingerprint: 'SHA256:x',
        keyType: 'ssh-ed25519',
        status: 'unknown',
        knownFingerprints: [],
      },
      verdicts: [],
    },
  ],
  cluster: { verdicts: [{ rule: 'servers', level: 'ok', reason: '1 server', remedy: '' }] },
  capacity: {
    totalVcpu: 3.5,
    totalMemoryBytes: 6 * GiB,
    podsBySpec: [
      { vcpu: 0.25, memoryGiB: 0.5, label: '0.25 vCPU / 0.5 GiB', pods: 11 },
      { vcpu: 0.25, memoryGiB: 1, label: '0.25 vCPU / 1 GiB', pods: 5 },
      { vcpu: 16, memoryGiB: 32, label: '16 vCPU / 32 GiB', pods: 0 },
    ],
  },
  blocking: true,
};

describe('renderReport', () => {
  const text = renderReport(report);
  it('prints one row per host with status, sandbox, resources and a verdict summary', () => {
    expect(text).toMatch(
      /│ 10\.0\.0\.1\s+│ server │ block\s+│ gvisor-only │ 4\s+│ 8\.0 GiB\s+│ 40\.0 GiB\s+│ 1 block, 1 warn/,
    );
    expect(text).toMatch(/│ 10\.0\.0\.2:2222 │ agent\s+│ needs-trust │ -/);
  });
  it('lists each block and warn with its remedy, and failures', () => {
    expect(text).toContain(
      'BLOCK 10.0.0.1 port-6443: port 6443/tcp is in use by node\n        → Stop node.',
    );
    expect(text).toContain('WARN  10.0.0.1 sandbox: no /dev/kvm\n        → Enable VT-x.');
    expect(text).toContain('FAIL  10.0.0.2:2222 trust: never seen');
    expect(text).not.toContain('arch: x86_64');
  });
  it('shows cluster verdicts, capacity of the sizes that fit, and the result', () => {
    expect(text).toContain('ok    servers: 1 server');
    expect(text).toContain('Serverless capacity: 3.5 vCPU, 6.0 GiB for pods');
    expect(text).toMatch(/│ 0\.25\s+│ 0\.5 GiB × 11, 1 GiB × 5/);
    expect(text).not.toContain('32 GiB × 0');
    expect(text).toContain('Result: NOT READY');
  });
});
