import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SMOKE_IMAGE,
  formatEvents,
  judgeKernel,
  lastLine,
  remedyFor,
  smokeImage,
  smokeTestPod,
} from './smoke-pod.ts';

describe('smoke test pod', () => {
  it('runs uname -r once under the sandbox RuntimeClass with tiny equal requests and limits', () => {
    const pod = smokeTestPod('kata-qemu', 'busybox:1.36');
    expect(pod.metadata).toMatchObject({
      name: 'nodeless-smoke-test',
      namespace: 'nodeless-system',
    });
    expect(pod.spec?.runtimeClassName).toBe('kata-qemu');
    expect(pod.spec?.restartPolicy).toBe('Never');
    const [c] = pod.spec?.containers ?? [];
    expect(c?.command).toEqual(['uname', '-r']);
    expect(c?.resources?.requests).toEqual(c?.resources?.limits);
  });
});

describe('smoke image', () => {
  it('takes the busybox the airgap bundle preloads, whatever its tag', () => {
    const images = [
      'docker.io/rancher/mirrored-pause:3.6',
      'docker.io/rancher/mirrored-library-busybox:1.37.0',
      'docker.io/rancher/mirrored-coredns-coredns:1.12.0',
    ];
    expect(smokeImage(images)).toBe('docker.io/rancher/mirrored-library-busybox:1.37.0');
    expect(smokeImage(['docker.io/rancher/library-busybox:1.31.1'])).toBe(
      'docker.io/rancher/library-busybox:1.31.1',
    );
  });

  it('falls back to the k3s busybox pulled online, never to a look-alike name', () => {
    expect(smokeImage()).toBe(DEFAULT_SMOKE_IMAGE);
    expect(smokeImage(['docker.io/evil/rancher-mirrored-library-busybox:1'])).toBe(
      DEFAULT_SMOKE_IMAGE,
    );
    expect(DEFAULT_SMOKE_IMAGE).toMatch(/^docker\.io\/rancher\/mirrored-library-busybox:/);
  });
});

describe('kernel verdict', () => {
  it('passes a microVM whose kernel differs from every host kernel', () => {
    expect(judgeKernel('kata-clh', '6.12.13-guest\n', ['6.1.0-28-amd64', ''])).toEqual({
      ok: true,
      mode: 'microvm',
      detail: 'the kata-clh microVM runs kernel 6.12.13-guest, unlike the host (6.1.0-28-amd64)',
    });
  });
  it('fails a microVM that reports a host kernel', () => {
    const v = judgeKernel('kata-fc', '6.1.0-28-amd64', ['6.8.0', '6.1.0-28-amd64']);
    expect(v.ok).toBe(false);
    expect(v.detail).toContain('did not run in a kata-fc microVM');
  });
  it('refuses to pass a microVM when no host kernel is known', () => {
    expect(judgeKernel('kata-clh', '6.12.13', ['', ' ']).ok).toBe(false);
  });
  it('only reports what gVisor presents, and fails on an empty log', () => {
    expect(judgeKernel('gvisor', '4.4.0', ['4.4.0'])).toMatchObject({ ok: true, mode: 'gvisor' });
    expect(judgeKernel('gvisor', '  ', []).ok).toBe(false);
  });
  it('takes the last non-empty log line', () => {
    expect(lastLine('noise\n6.12.13\n\n')).toBe('6.12.13');
    expect(lastLine('')).toBe('');
  });
});

describe('failure explanation', () => {
  const ev = (reason: string, message: string, t: string) => ({
    metadata: {},
    involvedObject: {},
    type: 'Warning',
    reason,
    message,
    lastTimestamp: new Date(t),
  });
  it('orders events and folds repeats', () => {
    expect(
      formatEvents([
        ev('FailedScheduling', 'x', '2026-01-01T00:00:02Z'),
        ev('FailedScheduling', 'x', '2026-01-01T00:00:03Z'),
        ev('Pulling', 'y', '2026-01-01T00:00:01Z'),
      ]),
    ).toEqual(['Warning Pulling: y', 'Warning FailedScheduling: x']);
  });
  it('names the missing node label for selector mismatches, capacity otherwise', () => {
    expect(
      remedyFor('gvisor', [
        "Warning FailedScheduling: 0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
      ]),
    ).toContain('nodeless.dev/sandbox=gvisor');
    expect(
      remedyFor('kata-clh', [
        'Warning FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu.',
      ]),
    ).toContain('room');
    expect(remedyFor('kata-clh', ['Warning FailedCreatePodSandBox: no runtime handler'])).toContain(
      'kata-runtime check',
    );
  });
});
