import { describe, expect, it } from 'vitest';
import { drainSkipReason } from './drain.ts';

describe('what drain leaves alone', () => {
  it('skips DaemonSet pods, mirror pods and finished pods, evicts the rest', () => {
    const owner = (kind: string) => ({
      ownerReferences: [{ apiVersion: 'apps/v1', kind, name: 'x', uid: 'u', controller: true }],
    });
    expect(drainSkipReason({ metadata: { name: 'a', ...owner('DaemonSet') } })).toBe('daemonset');
    expect(drainSkipReason({ metadata: { name: 'b', ...owner('ReplicaSet') } })).toBeUndefined();
    expect(
      drainSkipReason({ metadata: { annotations: { 'kubernetes.io/config.mirror': 'h' } } }),
    ).toBe('mirror');
    expect(drainSkipReason({ metadata: {}, status: { phase: 'Succeeded' } })).toBe('finished');
    expect(drainSkipReason({ metadata: {}, status: { phase: 'Running' } })).toBeUndefined();
  });
});
