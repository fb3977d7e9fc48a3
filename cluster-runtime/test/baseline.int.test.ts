/**
 * The baseline steps against kube-sim: a first run applies everything, a second run is
 * `satisfied` everywhere, the real kubectl reads the RuntimeClasses with their overhead and the
 * versioned serverless policies, and a drifted RuntimeClass or policy is detected and repaired.
 * (What the policies enforce is policies.int.test.ts, on the real control plane.)
 */
import type { KubernetesObject, V1RuntimeClass } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineSteps } from '../src/baseline/steps.ts';
import { createKubeClient, RESOURCES } from '../src/client.ts';
import {
  POLICY_SET_LABEL,
  POLICY_VERSION_ANNOTATION,
  policySetVersion,
  serverlessPolicies,
} from '../src/policies/manifest.ts';
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
      // kube-sim's nodes are Ready from the start.
      ['cluster-baseline:nodes-ready', 'unchanged'],
      ['cluster-baseline:serverless-policies', 'done'],
    ]);
    expect(first[2]?.check.detail).toBe('2/2 nodes Ready');
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

  it('installs the versioned serverless policies and their params (no placeholder left)', async () => {
    const r = await env.kubectl([
      'get',
      'validatingadmissionpolicies,mutatingadmissionpolicies',
      '-l',
      `${POLICY_SET_LABEL}=serverless`,
      '-o',
      `jsonpath={range .items[*]}{.metadata.name}={.metadata.annotations.nodeless\\.dev/policy-version}{"\\n"}{end}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const version = policySetVersion();
    expect(r.stdout.trim().split('\n').sort()).toEqual(
      serverlessPolicies()
        .filter((o) => !o.kind?.endsWith('Binding'))
        .map((o) => `${o.metadata?.name}=${version}`)
        .sort(),
    );
    const params = await env.kubectl([
      'get',
      'configmap',
      '-n',
      'nodeless-system',
      'serverless-policy-params',
      '-o',
      'jsonpath={.data.runtimeClassName}',
    ]);
    expect(params.stdout).toBe('kata-clh');
    const placeholder = await env.kubectl([
      'get',
      'configmap',
      '-n',
      'nodeless-system',
      '-l',
      'nodeless.dev/placeholder=true',
      '-o',
      'name',
    ]);
    expect(placeholder.stdout.trim()).toBe('');
  });

  it('replaces a policy of another version in place', async () => {
    const client = createKubeClient(env.sim.kubeconfig);
    await client.mergePatch(
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy' },
      'nodeless-services',
      {
        metadata: { annotations: { [POLICY_VERSION_ANNOTATION]: 'older' } },
        spec: { validations: [] },
      },
    );
    const policyStep = steps()[3];
    if (!policyStep) throw new Error('no serverless-policies step');
    expect(await policyStep.check(recordingContext())).toEqual({
      satisfied: false,
      detail: 'will apply: ValidatingAdmissionPolicy nodeless-services (differs)',
    });
    expect((await runSteps([policyStep]))[0]?.state).toBe('done');
    const live = await client.get<{ spec?: { validations?: unknown[] } } & KubernetesObject>(
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy' },
      'nodeless-services',
    );
    expect(live?.metadata?.annotations?.[POLICY_VERSION_ANNOTATION]).toBe(policySetVersion());
    expect(live?.spec?.validations).toHaveLength(1);
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
    const wait = steps()[2];
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
    })[2];
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
