/**
 * The demo cluster (src/demo) as the app sees it: three Ready machines, every tenant pod in the
 * sandbox RuntimeClass with its overhead and labelled with the size its requests round to, the
 * shop running, one worker in CrashLoopBackOff, the oversized trainer Pending with a
 * FailedScheduling event.
 */
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { billableSize, podSizeLabel, quantityMilliValue, quantityValue } from '@nodeless/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../src/demo/index.ts';
import type { KubeSim } from '../src/kube-sim/index.ts';

const TENANTS = new Set(['shop', 'data', 'ml']);

describe('demo cluster', () => {
  let sim: KubeSim;
  let core: CoreV1Api;

  const pods = async (): Promise<V1Pod[]> =>
    (await core.listPodForAllNamespaces()).items.filter((p) =>
      TENANTS.has(p.metadata?.namespace ?? ''),
    );
  const waitFor = async (what: string, check: (ps: V1Pod[]) => boolean): Promise<V1Pod[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ps = await pods();
      if (check(ps)) return ps;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const reason = (p: V1Pod): string | undefined =>
    p.status?.containerStatuses?.[0]?.state?.waiting?.reason;

  beforeAll(async () => {
    sim = await startDemo();
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('has three Ready machines of 8 vCPU / 32 GiB', async () => {
    const nodes = (await core.listNode()).items;
    expect(nodes).toHaveLength(3);
    for (const n of nodes) {
      expect(n.status?.allocatable).toMatchObject({ cpu: '8', memory: '32Gi' });
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('runs the shop, crash-loops the worker and leaves the trainer Pending', async () => {
    const ps = await waitFor(
      'the demo to settle',
      (all) =>
        all.filter((p) => p.metadata?.labels?.['app'] === 'web' && p.status?.phase === 'Running')
          .length === 3 &&
        all.some((p) => reason(p) === 'CrashLoopBackOff') &&
        all.some((p) => p.metadata?.name === 'redis-0' && p.status?.phase === 'Running'),
    );
    const crashing = ps.filter((p) => reason(p) === 'CrashLoopBackOff');
    expect(crashing.map((p) => p.metadata?.labels?.['app'])).toEqual(['ingest-worker']);
    const trainer = ps.find((p) => p.metadata?.labels?.['app'] === 'trainer');
    expect(trainer?.status?.phase).toBe('Pending');
    const events = await core.listNamespacedEvent({
      namespace: 'ml',
      fieldSelector: `involvedObject.name=${trainer?.metadata?.name ?? ''}`,
    });
    expect(events.items.map((e) => e.reason)).toContain('FailedScheduling');
  });

  it('puts every pod in the sandbox class, with overhead and the size its requests round to', async () => {
    const ps = await pods();
    expect(ps.length).toBeGreaterThanOrEqual(12);
    for (const p of ps) {
      expect(p.spec?.runtimeClassName).toBe('kata-clh');
      expect(p.spec?.overhead).toEqual({ cpu: '250m', memory: '130Mi' });
      const req = p.spec?.containers[0]?.resources?.requests ?? {};
      const size = billableSize({
        cpuMilli: quantityMilliValue(req['cpu'] ?? '0'),
        memoryBytes: quantityValue(req['memory'] ?? '0'),
      });
      expect(p.metadata?.labels?.['nodeless.dev/size']).toBe(podSizeLabel(size));
      expect(p.spec?.containers[0]?.resources?.limits).toEqual(req);
    }
  });
});
