import { describe, expect, it } from 'vitest';
import { GRACE_MS, gracePeriodMs, nodeObject, type NodeRegistration } from './nodes.ts';

describe('node monitor grace period', () => {
  it('reads node-monitor-grace-period from kube-controller-manager-arg like k3s passes it', () => {
    // kube-controller-manager's default since Kubernetes 1.32 (k3s v1.36 keeps it).
    expect(GRACE_MS).toBe(50_000);
    expect(gracePeriodMs([])).toBe(GRACE_MS);
    expect(gracePeriodMs(['node-monitor-period=2s', 'node-monitor-grace-period=8s'])).toBe(8000);
    expect(gracePeriodMs(['--node-monitor-grace-period=1m'])).toBe(60_000);
  });
});

describe('Node.status.images', () => {
  const reg = (images?: NodeRegistration['images']): NodeRegistration => ({
    role: 'server',
    etcd: false,
    facts: {
      hostname: 'th-1',
      addresses: ['10.213.0.2'],
      cpus: 2,
      memoryKi: 4_000_000,
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      kernelVersion: '6.1.0',
      machineId: 'a'.repeat(32),
      runtimeHandlers: ['runc'],
    },
    labels: [],
    taints: [],
    nodeArgs: '[]',
    ...(images ? { images } : {}),
  });
  const statusOf = (r: NodeRegistration) =>
    nodeObject(r, undefined, new Date(0), {})['status'] as { images?: unknown };

  it('lists what containerd imported from the images dir, as the kubelet reports it', () => {
    const images = [
      {
        names: ['nodeless.dev/meter:0.1.0', 'nodeless.dev/meter@sha256:' + 'b'.repeat(64)],
        sizeBytes: 50_000_000,
      },
    ];
    expect(statusOf(reg(images)).images).toEqual(images);
    expect(statusOf(reg()).images).toBeUndefined();
  });
});
