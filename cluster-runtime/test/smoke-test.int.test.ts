/**
 * The smoke test step against kube-sim, whose simulated kubelet answers `uname -r` with the
 * kernel the pod's sandbox presents: passes under kata-clh (kernel differs from the host's) and
 * gVisor (reports 4.4.0), is a no-op on re-run, fails when the pod sees the host kernel, and
 * fails clearly with the FailedScheduling event when no node carries the sandbox label.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineSteps } from '../src/baseline/steps.ts';
import { createKubeClient, RESOURCES, type KubeClient } from '../src/client.ts';
import { SMOKE_RESULT_NAME } from '../src/smoke/smoke-pod.ts';
import { SmokeTestError, smokeTestStep } from '../src/smoke/smoke-test.ts';
import type { Sandbox } from '../src/baseline/runtime-classes.ts';
import { recordingContext, runSteps, startSim, type SimEnv } from './helpers.ts';

describe('smoke test against kube-sim', () => {
  let env: SimEnv;
  let client: KubeClient;
  let hostKernel: string;
  let nodes: string[];
  beforeAll(async () => {
    env = await startSim({ nodes: 2 });
    client = createKubeClient(env.sim.kubeconfig);
    const list = await client.list<V1Node>(RESOURCES.nodes);
    nodes = list.items.map((n) => n.metadata?.name ?? '');
    // What host-bootstrap's facts would report for these hosts.
    hostKernel = list.items[0]?.status?.nodeInfo?.kernelVersion ?? '';
    expect(hostKernel).not.toBe('');
    // host-bootstrap labels each node with its sandbox family (k3s node-label).
    await client.mergePatch(RESOURCES.nodes, nodes[0] ?? '', {
      metadata: { labels: { 'nodeless.dev/sandbox': 'kata' } },
    });
    await client.mergePatch(RESOURCES.nodes, nodes[1] ?? '', {
      metadata: { labels: { 'nodeless.dev/sandbox': 'gvisor' } },
    });
    await runSteps(
      baselineSteps({
        kubeconfig: () => env.sim.kubeconfig,
        sandboxes: ['kata-clh', 'gvisor'],
        expectedNodes: 2,
      }),
    );
  });
  afterAll(async () => {
    await env?.stop();
  });

  const step = (sandbox: Sandbox, timeoutMs = 20_000) =>
    smokeTestStep({
      kubeconfig: () => env.sim.kubeconfig,
      sandbox,
      hostKernels: () => [hostKernel],
      image: 'busybox:1.36',
      timeoutMs,
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
  const smokePods = async () =>
    (await client.list<V1Pod>(RESOURCES.pods, { namespace: 'nodeless-system' })).items;

  it('passes under kata-clh: the microVM kernel differs from the host kernel', async () => {
    const ctx = recordingContext();
    const [outcome] = await runSteps([step('kata-clh')], ctx);
    expect(outcome?.state).toBe('done');
    expect(outcome?.verify?.detail).toBe(
      `passed at 2026-01-02T03:04:05.000Z: the kata-clh microVM runs kernel 6.12.13-nodeless-sim-guest, unlike the host (${hostKernel})`,
    );
    expect(ctx.lines).toContain(`pod ran on ${nodes[0]}: uname -r = 6.12.13-nodeless-sim-guest`);
    expect(ctx.progressEvents.at(-1)).toMatchObject({ current: 4, max: 4 });
    expect(await smokePods()).toEqual([]);
    // A re-run of the finished plan changes nothing.
    const [again] = await runSteps([step('kata-clh')]);
    expect(again?.state).toBe('unchanged');
  });

  it('passes under gVisor and reports the kernel gVisor presents', async () => {
    const ctx = recordingContext();
    const [outcome] = await runSteps([step('gvisor')], ctx);
    expect(outcome?.state).toBe('done');
    expect(outcome?.verify?.detail).toContain('gVisor presents kernel 4.4.0 to the pod');
    expect(ctx.lines).toContain(`pod ran on ${nodes[1]}: uname -r = 4.4.0`);
    expect(await smokePods()).toEqual([]);
  });

  it('replaces a stale smoke test pod left by an interrupted run', async () => {
    await client.delete(RESOURCES.configMaps, SMOKE_RESULT_NAME, 'nodeless-system');
    const s = step('kata-clh');
    const controller = new AbortController();
    const ctx = recordingContext(controller.signal);
    // Cancel as soon as the pod exists: the pod is left behind, like after a crash.
    const origProgress = ctx.progress;
    ctx.progress = (c, m, d) => {
      origProgress(c, m, d);
      if (c === 1) controller.abort(new Error('cancelled by the test'));
    };
    await expect(s.apply(ctx)).rejects.toThrow(/cancelled by the test/);
    expect((await smokePods()).map((p) => p.metadata?.name)).toEqual(['nodeless-smoke-test']);
    const retry = recordingContext();
    await s.apply(retry);
    expect(retry.lines).toContain('deleted a stale smoke test pod');
    expect((await s.verify(retry)).satisfied).toBe(true);
  });

  it('fails when the pod sees the host kernel in microVM mode', async () => {
    // A RuntimeClass whose handler is plain runc: the "sandbox" shares the host kernel.
    await client.delete(RESOURCES.runtimeClasses, 'kata-clh');
    await client.apply({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'kata-clh' },
      handler: 'runc',
      scheduling: { nodeSelector: { 'nodeless.dev/sandbox': 'kata' } },
    });
    await client.delete(RESOURCES.configMaps, SMOKE_RESULT_NAME, 'nodeless-system');
    const s = step('kata-clh');
    await expect(s.apply(recordingContext())).rejects.toThrow(
      `the pod saw the host kernel ${hostKernel}: it did not run in a kata-clh microVM`,
    );
    expect((await s.check(recordingContext())).satisfied).toBe(false);
    expect(await smokePods()).toEqual([]);
  });

  it('fails clearly with FailedScheduling when no node carries the sandbox label', async () => {
    await client.mergePatch(RESOURCES.nodes, nodes[1] ?? '', {
      metadata: { labels: { 'nodeless.dev/sandbox': null } },
    });
    const s = step('gvisor', 2_000);
    const error = await s.apply(recordingContext()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SmokeTestError);
    const e = error as SmokeTestError;
    expect(e.message).toMatch(/did not finish within 2 s \(phase Pending\)/);
    expect(e.events.join('\n')).toMatch(
      /Warning FailedScheduling: 0\/2 nodes are available: .*didn't match Pod's node affinity\/selector/,
    );
    expect(e.remedy).toContain('nodeless.dev/sandbox=gvisor');
    expect(await smokePods()).toEqual([]);
  });
});
