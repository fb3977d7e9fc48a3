/**
 * The serverless policies on the real control plane (kube-apiserver v1.36, KWOK machines of
 * 12 CPUs / 48 GiB), installed by the baseline step, each case asserting what the real kubectl
 * prints: forbidden pods and workloads refused with the field and the alternative; admitted
 * pods sandboxed, sized as common's `podSizeOf` sizes them (requests = limits = the size,
 * pod-level), with the RuntimeClass overhead and the size label; system namespaces untouched.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  podSizeLabel,
  podSizeOf,
  quantityMilliValue,
  quantityValue,
  type PodSize,
  type PodSpecLike,
} from '@nodeless/common';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { baselineSteps } from '../src/baseline/steps.ts';
import { DEFAULT_SIZE_ANNOTATION, SIZE_LABEL } from '../src/policies/manifest.ts';
import { runSteps } from './helpers.ts';
import { pod, POD_CASES, WORKLOAD_CASES, type PolicyCase } from './policies-cases.ts';

const NS = 'tenant-a';
let cp: ControlPlane;

async function kubectl(args: string[], input?: string) {
  return cp.kubectl(args, input === undefined ? {} : { input });
}
async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
const create = (ns: string, manifest: object) =>
  kubectl(['create', '-n', ns, '-f', '-'], JSON.stringify(manifest));
const getPod = async (ns: string, name: string): Promise<V1Pod> =>
  JSON.parse(await ok(['get', 'pod', '-n', ns, name, '-o', 'json'])) as V1Pod;

/** Policies reach admission through informers: wait until every one of them is in force. */
async function policiesInForce(): Promise<void> {
  await until('the policies to be in force', async () => {
    await kubectl(['create', 'namespace', 'probe']);
    const labels = await ok(['get', 'namespace', 'probe', '-o', 'jsonpath={.metadata.labels}']);
    if (!labels.includes('pod-security.kubernetes.io/enforce')) {
      await kubectl(['delete', 'namespace', 'probe', '--wait=false']);
      return undefined;
    }
    const dry = (m: object) =>
      kubectl(
        ['create', '-n', 'probe', '--dry-run=server', '-o', 'json', '-f', '-'],
        JSON.stringify(m),
      );
    const admitted = await dry(pod('p', {}));
    const mutated = JSON.parse(admitted.stdout || '{}') as V1Pod;
    if (mutated.spec?.runtimeClassName !== 'kata-clh' || !mutated.metadata?.labels?.[SIZE_LABEL])
      return undefined;
    for (const c of [...POD_CASES, ...WORKLOAD_CASES].filter((c) => c.refused)) {
      if (!c.refused?.some((t) => t.includes('not allowed') || t.includes('more than'))) continue;
      if ((await dry(c.manifest)).code === 0) return undefined;
    }
    return true;
  });
}

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 2, node: { cpus: 12, memoryGiB: 48 }, metrics: false });
  await runSteps(
    baselineSteps({
      kubeconfig: () => cp.kubeconfig,
      sandboxes: ['kata-clh', 'kata-qemu'],
      sandbox: 'kata-clh',
      expectedNodes: 2,
    }),
  );
  await policiesInForce();
  await ok(['create', 'namespace', NS]);
  // The namespace's default ServiceAccount must exist before pods are admitted.
  await until('the default ServiceAccount', async () =>
    (await kubectl(['get', 'serviceaccount', 'default', '-n', NS])).code === 0 ? true : undefined,
  );
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

function expectSized(p: V1Pod, size: PodSize): void {
  const r = p.spec?.resources;
  for (const q of [r?.requests, r?.limits]) {
    expect(quantityMilliValue(q?.['cpu'] ?? '0')).toBe(size.cpuMilli);
    expect(quantityValue(q?.['memory'] ?? '0')).toBe(size.memoryBytes);
  }
  expect(p.metadata?.labels?.[SIZE_LABEL]).toBe(podSizeLabel(size));
  expect(p.spec?.runtimeClassName).toBe('kata-clh');
  expect(p.spec?.overhead).toEqual({ cpu: '250m', memory: '130Mi' });
  expect(p.status?.qosClass).toBe('Guaranteed');
}

function refusalCheck(c: PolicyCase, r: { code: number; stderr: string }): void {
  expect(r.code, r.stderr).not.toBe(0);
  for (const text of c.refused ?? []) expect(r.stderr).toContain(text);
}

describe('pods in a tenant namespace', () => {
  it.each(POD_CASES)('$name', async (c) => {
    const r = await create(NS, c.manifest);
    if (c.refused) return refusalCheck(c, r);
    expect(r.code, r.stderr).toBe(0);
    const expected = podSizeOf(c.manifest.spec as PodSpecLike);
    if (c.label) expect(podSizeLabel(expected)).toBe(c.label);
    expectSized(await getPod(NS, c.manifest.metadata?.name ?? ''), expected);
  });

  it('are listed with their size by kubectl get pods -L', async () => {
    const out = await ok(['get', 'pods', '-n', NS, 'seven', '-L', SIZE_LABEL, '--no-headers']);
    expect(out.trim().split(/\s+/).at(-1)).toBe('8x16');
  });
});

describe('workloads in a tenant namespace', () => {
  it.each(WORKLOAD_CASES)('$name', async (c) => {
    const r = await create(NS, c.manifest);
    if (c.refused) return refusalCheck(c, r);
    expect(r.code, r.stderr).toBe(0);
  });

  it('a Deployment’s pods get the size of its template', async () => {
    const p = await until('the Deployment’s pod', async () => {
      const list = JSON.parse(await ok(['get', 'pods', '-n', NS, '-l', 'app=x', '-o', 'json'])) as {
        items: V1Pod[];
      };
      return list.items.find((i) => i.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet');
    });
    expectSized(p, { cpuMilli: 1000, memoryBytes: 2 * 2 ** 30 });
  });

  it('kubectl create deployment with no resources gets the default size', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx', '-n', NS]);
    const p = await until('web’s pod', async () => {
      const list = JSON.parse(
        await ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json']),
      ) as {
        items: V1Pod[];
      };
      return list.items[0];
    });
    expectSized(p, podSizeOf({ containers: [{}] }));
    expect(p.metadata?.labels?.[SIZE_LABEL]).toBe('0.25x0.5');
  });
});

describe('namespaces', () => {
  it('carry Pod Security baseline enforced and restricted warned, new and existing ones', async () => {
    for (const ns of [NS, 'default']) {
      const labels = JSON.parse(
        await ok(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.labels}']),
      ) as Record<string, string>;
      expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
      expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    }
    const r = await create(NS, pod('warned', {}));
    expect(r.stderr).toContain('would violate PodSecurity "restricted:latest"');
  });

  it('give pods that ask for nothing the namespace’s default size when it names one', async () => {
    await ok(['create', 'namespace', 'tenant-b']);
    await ok(['annotate', 'namespace', 'tenant-b', `${DEFAULT_SIZE_ANNOTATION}=1x2`]);
    await until('tenant-b’s ServiceAccount', async () =>
      (await kubectl(['get', 'serviceaccount', 'default', '-n', 'tenant-b'])).code === 0
        ? true
        : undefined,
    );
    expect((await create('tenant-b', pod('dflt', {}))).code).toBe(0);
    expectSized(await getPod('tenant-b', 'dflt'), { cpuMilli: 1000, memoryBytes: 2 * 2 ** 30 });
  });

  it('leave system namespaces untouched', async () => {
    const r = await create('kube-public', pod('sys', { hostNetwork: true }));
    expect(r.code, r.stderr).toBe(0);
    const p = await getPod('kube-public', 'sys');
    expect(p.spec?.runtimeClassName).toBeUndefined();
    expect(p.spec?.resources).toBeUndefined();
    expect(p.metadata?.labels?.[SIZE_LABEL]).toBeUndefined();
    const sys = await ok(['get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.labels}']);
    expect(sys).not.toContain('pod-security');
  });
});
