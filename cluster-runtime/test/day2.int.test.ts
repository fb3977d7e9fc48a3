/**
 * Day 2 against kube-sim: removing a node cordons it, evicts its pods (leaving DaemonSet and
 * mirror pods alone) and deletes it; the policy params then list only the machines left; a namespace-scoped kubeconfig works with the real kubectl in
 * its namespace and is forbidden elsewhere and for nodes; exported files are 0600 and merging
 * keeps other contexts.
 */
import { stat, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1ConfigMap, V1Node, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, RESOURCES, type KubeClient } from '../src/client.ts';
import { cordonNode, removeNode } from '../src/day2/drain.ts';
import { namespaceKubeconfig, writeKubeconfigFile } from '../src/day2/kubeconfig-export.ts';
import { parseKubeconfig } from '../src/kubeconfig/k3s-kubeconfig.ts';
import {
  machinesOf,
  MACHINE_KEY_PREFIX,
  PARAMS_NAME,
  policyParams,
  refreshPolicyMachines,
} from '../src/policies/params.ts';
import { SYSTEM_NAMESPACE } from '../src/baseline/objects.ts';
import { recordingContext, skipWithoutKubectl, startSim, type SimEnv } from './helpers.ts';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('removing a node', () => {
  let env: SimEnv;
  let client: KubeClient;
  beforeAll(async () => {
    env = await startSim({ nodes: 2 });
    client = createKubeClient(env.sim.kubeconfig);
  });
  afterAll(async () => {
    await env?.stop();
  });
  const podsOn = async (node: string) =>
    (await client.list<V1Pod>(RESOURCES.pods, { fieldSelector: `spec.nodeName=${node}` })).items;

  it('cordons, evicts all but DaemonSet and mirror pods, and deletes the node', async () => {
    const r = await env.kubectl(
      ['apply', '-f', '-'],
      undefined,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web, namespace: default}',
        'spec:',
        '  replicas: 4',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec: {containers: [{name: web, image: "nginx:1.27"}]}',
        '---',
        'apiVersion: apps/v1',
        'kind: DaemonSet',
        'metadata: {name: agent, namespace: default}',
        'spec:',
        '  selector: {matchLabels: {app: agent}}',
        '  template:',
        '    metadata: {labels: {app: agent}}',
        '    spec: {containers: [{name: agent, image: "busybox:1.36"}]}',
      ].join('\n'),
    );
    expect(r.code, r.stderr).toBe(0);
    const { items } = await client.list<V1Node>(RESOURCES.nodes);
    const [victim, survivor] = items.map((n) => n.metadata?.name ?? '');
    if (!victim || !survivor) throw new Error('expected two nodes');
    await client.create(RESOURCES.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `static-${victim}`,
        namespace: 'kube-system',
        annotations: { 'kubernetes.io/config.mirror': 'abc' },
      },
      spec: { nodeName: victim, containers: [{ name: 'etcd', image: 'etcd:3.5' }] },
    });
    const before = await until('web and agent pods Running on the victim', async () => {
      const pods = await podsOn(victim);
      const running = pods.filter((p) => p.status?.phase === 'Running');
      const web = running.filter((p) => p.metadata?.labels?.['app'] === 'web');
      const agent = running.filter((p) => p.metadata?.labels?.['app'] === 'agent');
      return web.length > 0 && agent.length === 1 ? pods : undefined;
    });
    const webBefore = before
      .filter((p) => p.metadata?.labels?.['app'] === 'web')
      .map((p) => `default/${p.metadata?.name}`)
      .sort();

    const ctx = recordingContext();
    const { evicted } = await removeNode(client, victim, ctx, { timeoutMs: 30_000 });
    expect([...evicted].sort()).toEqual(webBefore);
    expect(ctx.lines).toContain(`cordoned node ${victim}`);
    expect(ctx.lines.some((l) => /^skipping default\/agent-.* \(daemonset pod\)$/.test(l))).toBe(
      true,
    );
    expect(ctx.lines).toContain(`skipping kube-system/static-${victim} (mirror pod)`);
    expect(ctx.lines).toContain(`deleted node ${victim}`);
    const last = ctx.progressEvents.filter((e) => e.description.includes('pods gone')).at(-1);
    expect(last).toEqual({
      current: webBefore.length,
      max: webBefore.length,
      description: `${webBefore.length}/${webBefore.length} pods gone from ${victim}`,
    });
    expect(await client.get(RESOURCES.nodes, victim)).toBeUndefined();
    // The Deployment's pods were recreated on the remaining node.
    await until('4 web pods Running on the survivor', async () => {
      const web = (await podsOn(survivor)).filter(
        (p) => p.metadata?.labels?.['app'] === 'web' && p.status?.phase === 'Running',
      );
      return web.length === 4 ? true : undefined;
    });
    // Idempotent: removing it again is a no-op.
    const again = recordingContext();
    expect(await removeNode(client, victim, again)).toEqual({ evicted: [] });
    expect(again.lines).toEqual([`node ${victim} is already gone`]);
  });

  it('the policy params are rewritten to the machines that remain, only when they differ', async () => {
    const { items } = await client.list<V1Node>(RESOURCES.nodes);
    const gone = { name: 'node-removed', cpuMilli: 64_000, memoryBytes: 256 * 2 ** 30 };
    await client.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: SYSTEM_NAMESPACE },
    });
    await client.apply(policyParams('kata-clh', [...machinesOf(items), gone]));
    const machineKeys = async () =>
      Object.keys(
        (await client.get<V1ConfigMap>(RESOURCES.configMaps, PARAMS_NAME, SYSTEM_NAMESPACE))
          ?.data ?? {},
      )
        .filter((k) => k.startsWith(MACHINE_KEY_PREFIX))
        .sort();
    const expected = machinesOf(items)
      .map((m) => `${MACHINE_KEY_PREFIX}${m.name}`)
      .sort();
    // Looking does not write.
    expect(await refreshPolicyMachines(client, { write: false })).toEqual({
      changed: true,
      machines: expected.length,
    });
    expect(await machineKeys()).toContain(`${MACHINE_KEY_PREFIX}node-removed`);
    await refreshPolicyMachines(client, { write: true });
    expect(await machineKeys()).toEqual(expected);
    expect(await refreshPolicyMachines(client, { write: false })).toEqual({
      changed: false,
      machines: expected.length,
    });
  });

  it('cordon reports whether it changed anything', async () => {
    const { items } = await client.list<V1Node>(RESOURCES.nodes);
    const node = items[0]?.metadata?.name ?? '';
    expect(await cordonNode(client, node, recordingContext())).toBe(true);
    expect(await cordonNode(client, node, recordingContext())).toBe(false);
    const n = await client.get<V1Node>(RESOURCES.nodes, node);
    expect(n?.spec?.unschedulable).toBe(true);
  });
});

describe.skipIf(skipWithoutKubectl())('namespace-scoped kubeconfig export', () => {
  let env: SimEnv;
  beforeAll(async () => {
    env = await startSim({ nodes: 1 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('works in its namespace with the real kubectl and is forbidden elsewhere and for nodes', async () => {
    const exported = await namespaceKubeconfig({
      adminKubeconfig: env.sim.kubeconfig,
      clusterName: 'demo',
      namespace: 'team-a',
      expirationSeconds: 3600,
    });
    expect(exported.context).toBe('demo-team-a');
    expect(Date.parse(exported.expiresAt)).toBeGreaterThan(Date.now());
    const path = join(env.dir, 'kube', 'team-a.yaml');
    await writeKubeconfigFile(path, exported.kubeconfig);
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const apply = await env.kubectl(
      ['apply', '-f', '-'],
      path,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: "1"}\n',
    );
    expect(apply.code, apply.stderr).toBe(0);
    const get = await env.kubectl(
      ['get', 'configmap', 'settings', '-o', 'jsonpath={.metadata.namespace}'],
      path,
    );
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe('team-a');

    const other = await env.kubectl(['get', 'pods', '-n', 'default'], path);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('Forbidden');
    expect(other.stderr).toContain(
      'User "system:serviceaccount:team-a:nodeless-tenant" cannot list resource "pods"',
    );
    const nodes = await env.kubectl(['get', 'nodes'], path);
    expect(nodes.code).not.toBe(0);
    expect(nodes.stderr).toContain('Forbidden');
    expect(nodes.stderr).toContain('cannot list resource "nodes"');

    // The same grant through the facade: a 403 KubeApiError.
    const tenant = createKubeClient(exported.kubeconfig);
    await expect(tenant.list(RESOURCES.nodes)).rejects.toMatchObject({ code: 403 });
    // The token is in the file (that is its purpose) but never in the returned context name.
    expect(exported.kubeconfig).toContain('token:');
  });

  it('merges into an existing kubeconfig, keeping other contexts, still 0600', async () => {
    const path = join(env.dir, 'merged.yaml');
    await writeFile(path, env.sim.kubeconfig, { mode: 0o644 });
    const exported = await namespaceKubeconfig({
      adminKubeconfig: env.sim.kubeconfig,
      clusterName: 'demo',
      namespace: 'team-b',
    });
    await writeKubeconfigFile(path, exported.kubeconfig, { merge: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const merged = parseKubeconfig(await readFile(path, 'utf8'));
    expect(merged.contexts.map((c) => c.name)).toEqual(['kube-sim', 'demo-team-b']);
    expect(merged['current-context']).toBe('demo-team-b');
    const admin = await env.kubectl(['--context', 'kube-sim', 'get', 'nodes', '-o', 'name'], path);
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stdout.trim().split('\n')).toHaveLength(1);
    const tenant = await env.kubectl(['get', 'configmaps', '-o', 'name'], path);
    expect(tenant.code, tenant.stderr).toBe(0);
  });
});
