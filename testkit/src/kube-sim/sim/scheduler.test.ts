import { afterEach, describe, expect, it } from 'vitest';
import { R, type KubeEvent, type Node, type Pod } from './model.ts';
import {
  container,
  harness,
  podCond,
  resources,
  waitFor,
  type Harness,
} from './testing/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
  h = undefined;
});

const pod = (
  name: string,
  extra: Record<string, unknown> = {},
  c: Record<string, unknown> = resources('500m', '512Mi'),
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [container('app', 'nginx:1.27', c)], ...extra },
});

const events = (x: Harness, reason: string): KubeEvent[] =>
  (x.store.list(R.events) as unknown as KubeEvent[]).filter((e) => e.reason === reason);

describe('scheduler', () => {
  it('creates honest simulated nodes with capacity, Ready and leases', async () => {
    h = harness({ nodes: 2 });
    const nodes = h.store.list(R.nodes) as unknown as Node[];
    expect(nodes.map((n) => n.metadata?.name).sort()).toEqual(['sim-node-1', 'sim-node-2']);
    const n = nodes[0];
    expect(n?.metadata?.labels?.['nodeless.dev/simulated']).toBe('true');
    expect(n?.status?.nodeInfo?.kubeletVersion).toBe('v1.36.3-sim');
    expect(n?.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/.*-sim$/);
    expect(n?.status?.nodeInfo?.osImage).toMatch(/[Ss]imulated/);
    expect(n?.status?.allocatable?.['pods']).toBe('110');
    expect(n?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(h.store.get(R.leases, 'kube-node-lease', 'sim-node-1')).toBeDefined();
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      expect(h.store.get(R.namespaces, undefined, ns)).toBeDefined();
  });

  it('binds a fitting pod and emits Scheduled; an unfit one stays Pending with FailedScheduling', async () => {
    h = harness({ nodes: 3, nodeTemplate: { cpu: '2', memory: '4Gi' } });
    h.create(R.pods, pod('fits'));
    h.create(R.pods, pod('huge', {}, resources('3', '1Gi')));
    const x = h;
    await waitFor('bound', () => x.get<Pod>(R.pods, 'default', 'fits')?.spec?.nodeName);
    const ev = await waitFor('FailedScheduling', () => events(x, 'FailedScheduling')[0]);
    expect(ev.message).toBe('0/3 nodes are available: 3 Insufficient cpu.');
    expect(ev.type).toBe('Warning');
    expect(ev.involvedObject.name).toBe('huge');
    const huge = x.get<Pod>(R.pods, 'default', 'huge');
    expect(huge?.spec?.nodeName).toBeUndefined();
    expect(huge?.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
    });
    expect(
      events(x, 'Scheduled').some((e) =>
        e.message?.startsWith('Successfully assigned default/fits to sim-node-'),
      ),
    ).toBe(true);
    // Capacity appears: the pending pod is retried and binds.
    x.sim.addNode({ cpu: '4', memory: '8Gi', name: 'big' });
    await waitFor(
      'huge bound to big',
      () => x.get<Pod>(R.pods, 'default', 'huge')?.spec?.nodeName === 'big',
    );
  });

  it('adds RuntimeClass overhead and honours its nodeSelector', async () => {
    h = harness({ nodes: 2, nodeTemplate: { cpu: '1', memory: '4Gi' } });
    h.create(R.runtimeClasses, {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'kata-clh' },
      handler: 'kata-clh',
      overhead: { podFixed: { cpu: '250m', memory: '130Mi' } },
    });
    // 800m + 250m overhead > 1 CPU: unschedulable only because of the overhead.
    h.create(
      R.pods,
      pod('sandboxed', { runtimeClassName: 'kata-clh' }, resources('800m', '256Mi')),
    );
    h.create(R.pods, pod('plain', {}, resources('800m', '256Mi')));
    const x = h;
    await waitFor('plain bound', () => x.get<Pod>(R.pods, 'default', 'plain')?.spec?.nodeName);
    const ev = await waitFor('FailedScheduling', () =>
      events(x, 'FailedScheduling').find((e) => e.involvedObject.name === 'sandboxed'),
    );
    expect(ev.message).toMatch(/^0\/2 nodes are available: .*Insufficient cpu\.$/);
    h.create(R.runtimeClasses, {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'pinned' },
      handler: 'kata-qemu',
      scheduling: { nodeSelector: { zone: 'b' } },
    });
    x.sim.addNode({ name: 'zone-b', labels: { zone: 'b' }, cpu: '1', memory: '1Gi' });
    h.create(R.pods, pod('pinned', { runtimeClassName: 'pinned' }, resources('100m', '64Mi')));
    await waitFor(
      'pinned on zone-b',
      () => x.get<Pod>(R.pods, 'default', 'pinned')?.spec?.nodeName === 'zone-b',
    );
  });

  it('respects taints, tolerations, nodeSelector and cordon', async () => {
    h = harness({ nodes: 0 });
    h.sim.addNode({
      name: 'tainted',
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    });
    h.sim.addNode({ name: 'cordoned', unschedulable: true });
    h.create(R.pods, pod('intolerant'));
    h.create(
      R.pods,
      pod('tolerant', {
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      }),
    );
    h.create(
      R.pods,
      pod('selective', { nodeSelector: { disk: 'ssd' }, tolerations: [{ operator: 'Exists' }] }),
    );
    const x = h;
    await waitFor(
      'tolerant bound',
      () => x.get<Pod>(R.pods, 'default', 'tolerant')?.spec?.nodeName === 'tainted',
    );
    const ev = await waitFor('FailedScheduling', () =>
      events(x, 'FailedScheduling').find((e) => e.involvedObject.name === 'intolerant'),
    );
    expect(ev.message).toBe(
      '0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable.',
    );
    const sel = await waitFor('FailedScheduling selective', () =>
      events(x, 'FailedScheduling').find((e) => e.involvedObject.name === 'selective'),
    );
    expect(sel.message).toBe(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
    );
    expect(x.get<Pod>(R.pods, 'default', 'intolerant')?.spec?.nodeName).toBeUndefined();
  });

  it('counts pods as the pods capacity', async () => {
    h = harness({ nodes: 1, nodeTemplate: { pods: 2 } });
    for (const n of ['a', 'b', 'c']) h.create(R.pods, pod(n, {}, {}));
    const x = h;
    const ev = await waitFor('Too many pods', () => events(x, 'FailedScheduling')[0]);
    expect(ev.message).toBe('0/1 nodes are available: 1 Too many pods.');
    expect(x.pods().filter((p) => p.spec?.nodeName).length).toBe(2);
    expect(x.pods().filter((p) => podCond(p, 'PodScheduled') === 'False').length).toBe(1);
  });
});
