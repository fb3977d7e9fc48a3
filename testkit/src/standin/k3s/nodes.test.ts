import { describe, expect, it } from 'vitest';
import { GRACE_MS, gracePeriodMs } from './nodes.ts';

describe('node monitor grace period', () => {
  it('reads node-monitor-grace-period from kube-controller-manager-arg like k3s passes it', () => {
    // kube-controller-manager's default since Kubernetes 1.32 (k3s v1.36 keeps it).
    expect(GRACE_MS).toBe(50_000);
    expect(gracePeriodMs([])).toBe(GRACE_MS);
    expect(gracePeriodMs(['node-monitor-period=2s', 'node-monitor-grace-period=8s'])).toBe(8000);
    expect(gracePeriodMs(['--node-monitor-grace-period=1m'])).toBe(60_000);
  });
});
