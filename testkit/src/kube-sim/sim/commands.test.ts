import { afterEach, describe, expect, it } from 'vitest';
import {
  GVISOR_REPORTED_KERNEL,
  SIM_KATA_GUEST_KERNEL,
  kernelSeenBy,
  simulatedCommand,
} from './commands.ts';
import { R, type Pod } from './model.ts';
import { container, harness, waitFor, type Harness } from './testing/harness.ts';

describe('simulated commands', () => {
  it('answers uname -r with the kernel the sandbox presents', () => {
    expect(kernelSeenBy('kata-clh', '6.1.0-sim')).toBe(SIM_KATA_GUEST_KERNEL);
    expect(kernelSeenBy('kata-qemu', '6.1.0-sim')).toBe(SIM_KATA_GUEST_KERNEL);
    expect(kernelSeenBy('runsc', '6.1.0-sim')).toBe(GVISOR_REPORTED_KERNEL);
    expect(kernelSeenBy(undefined, '6.1.0-sim')).toBe('6.1.0-sim');
    expect(simulatedCommand(['uname', '-r'], { handler: 'runsc', nodeKernel: 'x' })).toEqual({
      output: ['4.4.0'],
      exitCode: 0,
    });
  });
  it('leaves every other command to the long-running simulation', () => {
    expect(simulatedCommand(['uname'], { handler: undefined, nodeKernel: 'x' })).toBeUndefined();
    expect(
      simulatedCommand(['uname', '-r', '-a'], { handler: undefined, nodeKernel: 'x' }),
    ).toBeUndefined();
    expect(simulatedCommand([], { handler: undefined, nodeKernel: 'x' })).toBeUndefined();
  });
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
  h = undefined;
});

describe('kubelet running uname -r', () => {
  const pod = (name: string, extra: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      restartPolicy: 'Never',
      containers: [container('uname', 'busybox:1.36', { command: ['uname', '-r'] })],
      ...extra,
    },
  });

  it('logs the guest kernel under a Kata RuntimeClass, the node kernel without one, and succeeds', async () => {
    h = harness({ nodes: 1, scale: 50 });
    const x = h;
    h.create(R.runtimeClasses, {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'kata-clh' },
      handler: 'kata-clh',
    });
    h.create(R.pods, pod('vm', { runtimeClassName: 'kata-clh' }));
    h.create(R.pods, pod('plain', {}));
    for (const name of ['vm', 'plain'])
      await waitFor(`${name} Succeeded`, () => {
        const p = x.get<Pod>(R.pods, 'default', name);
        return p?.status?.phase === 'Succeeded' ? p : undefined;
      });
    expect(h.sim.logs.read('default', 'vm', 'uname')).toEqual([SIM_KATA_GUEST_KERNEL]);
    expect(h.sim.logs.read('default', 'plain', 'uname')).toEqual(['6.1.0-sim']);
    const status = x.get<Pod>(R.pods, 'default', 'vm')?.status?.containerStatuses?.[0];
    expect(status?.state?.terminated?.exitCode).toBe(0);
    expect(status?.state?.terminated?.reason).toBe('Completed');
  });

  it('keeps restartPolicy Always pods on the long-running simulation', async () => {
    h = harness({ nodes: 1, scale: 50 });
    const x = h;
    h.create(R.pods, pod('svc', { restartPolicy: 'Always' }));
    await waitFor('Running', () =>
      x.get<Pod>(R.pods, 'default', 'svc')?.status?.phase === 'Running' ? true : undefined,
    );
    expect(h.sim.logs.read('default', 'svc', 'uname')[0]).toContain('[kube-sim]');
  });
});
