/**
 * The baseline steps against kube-sim: a first run applies everything, a second run is
 * `satisfied` everywhere, the real kubectl reads the RuntimeClasses with their overhead, and a
 * drifted RuntimeClass is detected and repaired.
 */
import type { V1RuntimeClass } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineSteps } from '../src/baseline/steps.ts';
import { createKubeClient, RESOURCES } from '../src/client.ts';
import {
  skipWithoutKubectl,
  KUBECTL,
  recordingContext,
  runSteps,
  startSim,
  type SimEnv,
} from './helpers.ts';

describe('cluster baseline against kube-sim', () => {
  let env: SimEnv;
  beforeAll(async () => {
    env = await startSim({ nodes: 2 });
  });
  afterAll(async () => {
    await env?.stop();
  });
  const steps = () =>
    baselineSteps({
      kubeconfig: () => env.sim.kubeconfig,
      sandboxes: ['kata-clh', 'kata-qemu', 'kata-fc'],
      expectedNodes: 2,
      nodesReadyTimeoutMs: 20_000,
    });

  it('applies on the first run and changes nothing on the second', async () => {
    const ctx = recordingContext();
    const first = await runSteps(steps(), ctx);
    expect(first.map((s) => [s.key, s.state])).toEqual([
      ['cluster-baseline:namespace', 'done'],
      ['cluster-baseline:runtime-classes', 'done'],
      ['cluster-baseline:serverless-policies', 'done'],
      // kube-sim's nodes are Ready from the start.
      ['cluster-baseline:nodes-ready', 'unchanged'],
    ]);
    expect(first[3]?.check.detail).toBe('2/2 nodes Ready');
    expect(ctx.lines.some((l) => l.includes('RuntimeClass kata-clh'))).toBe(true);
    const second = await runSteps(steps());
    expect(second.map((s) => s.state)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    const client = createKubeClient(env.sim.kubeconfig);
    const rc = await client.get<V1RuntimeClass>(RESOURCES.runtimeClasses, 'kata-qemu');
    expect(rc?.overhead?.podFixed).toEqual({ cpu: '250m', memory: '160Mi' });
    expect(rc?.metadata?.managedFields?.some((f) => f.manager === 'nodeless')).toBe(true);
  });

  it('labels the serverless policies as a placeholder', async () => {
    const r = await env.kubectl([
      'get',
      'configmap',
      '-n',
      'nodeless-system',
      '-l',
      'nodeless.dev/placeholder=true',
      '-o',
      'name',
    ]);
    expect(r.stdout.trim()).toBe('configmap/serverless-policies');
  });

  it.skipIf(skipWithoutKubectl())(
    `RuntimeClasses are readable by ${KUBECTL} with their overhead`,
    async () => {
      const r = await env.kubectl([
        'get',
        'runtimeclass',
        '-o',
        'custom-columns=NAME:.metadata.name,HANDLER:.handler,CPU:.overhead.podFixed.cpu,MEM:.overhead.podFixed.memory',
        '--no-headers',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/));
      expect(rows).toEqual([
        ['kata-clh', 'kata-clh', '250m', '130Mi'],
        ['kata-fc', 'kata-fc', '250m', '130Mi'],
        ['kata-qemu', 'kata-qemu', '250m', '160Mi'],
      ]);
    },
  );

  it('detects a drifted RuntimeClass and repairs it', async () => {
    const client = createKubeClient(env.sim.kubeconfig);
    await client.mergePatch(RESOURCES.runtimeClasses, 'kata-clh', {
      overhead: { podFixed: { memory: '64Mi' } },
    });
    const rcStep = steps()[1];
    if (!rcStep) throw new Error('no runtime-classes step');
    const check = await rcStep.check(recordingContext());
    expect(check).toEqual({
      satisfied: false,
      detail: 'will apply: RuntimeClass kata-clh (differs)',
    });
    const again = await runSteps([rcStep]);
    expect(again[0]?.state).toBe('done');
    const rc = await client.get<V1RuntimeClass>(RESOURCES.runtimeClasses, 'kata-clh');
    expect(rc?.overhead?.podFixed?.['memory']).toBe('130Mi');
  });

  it('waits until a NotReady node turns Ready, reporting ready/total', async () => {
    const setReady = (node: string, status: 'True' | 'False') =>
      env.kubectl([
        'patch',
        'node',
        node,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status: { conditions: [{ type: 'Ready', status, reason: 'Test' }] } }),
      ]);
    const nodes = await createKubeClient(env.sim.kubeconfig).list(RESOURCES.nodes);
    const node = nodes.items[1]?.metadata?.name ?? '';
    expect((await setReady(node, 'False')).code).toBe(0);
    const wait = steps()[3];
    if (!wait) throw new Error('no nodes-ready step');
    const ctx = recordingContext();
    expect(await wait.check(ctx)).toEqual({ satisfied: false, detail: '1/2 nodes Ready' });
    let flipped: Promise<unknown> | undefined;
    const progress = ctx.progress;
    ctx.progress = (current, max, description) => {
      progress(current, max, description);
      // Once the wait reported 1/2, the node's kubelet "recovers".
      flipped ??= setReady(node, 'True');
    };
    await wait.apply(ctx);
    await flipped;
    expect(ctx.progressEvents.map((e) => [e.current, e.max])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect((await wait.verify(ctx)).satisfied).toBe(true);
  });

  it('waits for nodes with determinate progress and names the ones not Ready on timeout', async () => {
    const ctx = recordingContext();
    const wait = baselineSteps({
      kubeconfig: () => env.sim.kubeconfig,
      sandboxes: ['kata-clh'],
      expectedNodes: 3,
      nodesReadyTimeoutMs: 1_500,
    })[3];
    if (!wait) throw new Error('no nodes-ready step');
    expect((await wait.check(ctx)).detail).toBe('2/2 nodes Ready (3 expected)');
    await expect(wait.apply(ctx)).rejects.toThrow(/timed out .* 2\/2 nodes Ready \(3 expected\)/);
    expect(ctx.progressEvents[0]).toEqual({
      current: 2,
      max: 3,
      description: '2/2 nodes Ready (3 expected)',
    });
  });
});
