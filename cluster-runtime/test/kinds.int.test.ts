/**
 * The per-kind modules against the real control plane (kube-apiserver v1.36.3 + KWOK):
 * - every identity matches what discovery serves (plural, scope);
 * - every row column copied from kubectl equals the API server's own Table cell for the same
 *   object, from one response (`as=Table` with `includeObject=Object`: the server prints with
 *   the very printers.go kubectl shows), over pods in many states, workloads, services, HPAs,
 *   events of both API versions, namespaces, nodes and RuntimeClasses;
 * - pod rows resolve their Deployment through the ReplicaSet index.
 */
import {
  HttpMethod,
  KubeConfig,
  RequestContext,
  type KubernetesObject,
  type V1Job,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { createKubeClient, RESOURCES, resourcePath, type KubeClient } from '../src/client.ts';
import * as kinds from '../src/kinds/index.ts';
import { send } from '../src/kube/transport.ts';
import { PARITY_MANIFESTS } from './kinds-manifests.ts';

let cp: ControlPlane;
let client: KubeClient;

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 2 });
  client = createKubeClient(cp.kubeconfig);
  const r = await cp.kubectl(['apply', '-f', '-'], { input: PARITY_MANIFESTS });
  if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
  await client.waitFor<V1Job, true>(RESOURCES.jobs, {
    namespace: 'parity',
    fieldSelector: 'metadata.name=done',
    describe: 'the job to complete',
    timeoutMs: 60_000,
    until: (m) =>
      [...m.values()].some((j) =>
        j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'),
      )
        ? true
        : undefined,
  });
  await client.waitFor<V1Pod, true>(RESOURCES.pods, {
    namespace: 'parity',
    labelSelector: 'app=web',
    describe: 'the web pods to be Ready',
    timeoutMs: 60_000,
    until: (m) =>
      m.size === 2 && [...m.values()].every((p) => kinds.podRow(p).status === 'Running')
        ? true
        : undefined,
  });
  // A pod that is Terminating while the test reads it: KWOK stops its containers only when
  // the 600 s grace period ends (a pod deleted before it ran would go at once).
  await client.waitFor<V1Pod, true>(RESOURCES.pods, {
    namespace: 'parity',
    fieldSelector: 'metadata.name=leaving',
    describe: 'the pod "leaving" to run',
    timeoutMs: 60_000,
    until: (m) => ([...m.values()][0]?.status?.phase === 'Running' ? true : undefined),
  });
  const d = await cp.kubectl(['delete', 'pod', 'leaving', '-n', 'parity', '--wait=false']);
  if (d.code !== 0) throw new Error(`kubectl delete failed: ${d.stderr}`);
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

interface Table {
  columns: string[];
  rows: { cells: unknown[]; object: KubernetesObject }[];
}

/** The API server's own table of a kind (what `kubectl get` prints), objects included. */
async function serverTable(kind: kinds.KindIdentity): Promise<Table> {
  const kc = new KubeConfig();
  kc.loadFromString(cp.kubeconfig);
  const url = `${cp.url}${resourcePath(kind)}?includeObject=Object`;
  const ctx = new RequestContext(url, HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  ctx.setHeaderParam('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io');
  const r = await send(ctx, { timeoutMs: 30_000 });
  if (r.status !== 200) throw new Error(`table of ${kind.plural}: ${r.status} ${r.text}`);
  const t = JSON.parse(r.text) as {
    columnDefinitions: { name: string }[];
    rows: { cells: unknown[]; object: KubernetesObject }[];
  };
  return { columns: t.columnDefinitions.map((c) => c.name), rows: t.rows };
}

/** Each row's cells by column name, with the projection of the same object. */
async function compare<R>(
  kind: kinds.KindIdentity,
  project: (o: KubernetesObject) => R,
): Promise<{ cells: Record<string, unknown>; row: R; name: string }[]> {
  const table = await serverTable(kind);
  expect(table.rows.length).toBeGreaterThan(0);
  return table.rows.map((r) => ({
    cells: Object.fromEntries(table.columns.map((c, i) => [c, r.cells[i]])),
    row: project(r.object),
    name: r.object.metadata?.name ?? '',
  }));
}

describe('identities', () => {
  const all = Object.values(kinds).filter(
    (v): v is kinds.KindIdentity =>
      typeof v === 'object' && v !== null && 'plural' in v && 'group' in v,
  );
  it('cover every product kind and match discovery', async () => {
    expect(all.map((k) => `${k.apiVersion} ${k.kind}`).sort()).toEqual(
      [
        'apps/v1 Deployment',
        'apps/v1 ReplicaSet',
        'apps/v1 StatefulSet',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'batch/v1 CronJob',
        'batch/v1 Job',
        'events.k8s.io/v1 Event',
        'node.k8s.io/v1 RuntimeClass',
        'v1 Event',
        'v1 Namespace',
        'v1 Node',
        'v1 Pod',
        'v1 Service',
      ].sort(),
    );
    for (const k of all) {
      const served = await client.resource(k);
      expect(
        { plural: served.plural, namespaced: served.namespaced },
        `${k.apiVersion} ${k.kind}`,
      ).toEqual({
        plural: k.plural,
        namespaced: k.namespaced,
      });
    }
  });
});

describe('rows print as kubectl does', () => {
  it('pods: STATUS, READY, RESTARTS, NODE in every state present', async () => {
    const rows = await compare(kinds.POD, (o) => kinds.podRow(o as V1Pod));
    for (const { cells, row, name } of rows) {
      expect([name, row.status], name).toEqual([name, cells['Status']]);
      expect(`${row.ready}/${row.total}`, name).toBe(cells['Ready']);
      expect(String(cells['Restarts']).split(' ')[0], name).toBe(String(row.restarts));
      expect(row.node ?? '<none>', name).toBe(cells['Node']);
    }
    const statuses = new Set(rows.map((r) => r.row.status));
    for (const s of ['Running', 'Completed', 'SchedulingGated', 'Pending', 'Terminating'])
      expect(statuses, `a pod ${s}`).toContain(s);
    expect(
      [...statuses].some((s) => s.startsWith('Init:')),
      'a pod initialising',
    ).toBe(true);
  });

  it('deployments, replicasets, statefulsets', async () => {
    for (const { cells, row } of await compare(kinds.DEPLOYMENT, (o) =>
      kinds.deploymentRow(o as never),
    )) {
      expect(`${row.ready}/${row.desired}`).toBe(cells['Ready']);
      expect(row.updated).toBe(cells['Up-to-date']);
      expect(row.available).toBe(cells['Available']);
    }
    for (const { cells, row } of await compare(kinds.REPLICA_SET, (o) =>
      kinds.replicaSetRow(o as never),
    )) {
      expect([row.desired, row.current, row.ready]).toEqual([
        cells['Desired'],
        cells['Current'],
        cells['Ready'],
      ]);
    }
    for (const { cells, row } of await compare(kinds.STATEFUL_SET, (o) =>
      kinds.statefulSetRow(o as never),
    )) {
      expect(`${row.ready}/${row.desired}`).toBe(cells['Ready']);
    }
  });

  it('jobs and cronjobs', async () => {
    const jobs = await compare(kinds.JOB, (o) => kinds.jobRow(o as never));
    for (const { cells, row, name } of jobs) {
      expect([name, row.status, row.completions]).toEqual([
        name,
        cells['Status'],
        cells['Completions'],
      ]);
    }
    expect(jobs.map((j) => j.row.status)).toContain('Complete');
    for (const { cells, row } of await compare(kinds.CRON_JOB, (o) =>
      kinds.cronJobRow(o as never),
    )) {
      expect([row.schedule, row.suspended ? 'True' : 'False', row.active]).toEqual([
        cells['Schedule'],
        cells['Suspend'],
        cells['Active'],
      ]);
    }
  });

  it('HPAs, services, namespaces, nodes, RuntimeClasses', async () => {
    for (const { cells, row } of await compare(kinds.HPA, (o) => kinds.hpaRow(o as never))) {
      expect(`${row.target.kind}/${row.target.name}`).toBe(cells['Reference']);
      expect(row.targets).toBe(cells['Targets']);
      expect([String(row.min), row.max, row.current]).toEqual([
        cells['MinPods'],
        cells['MaxPods'],
        cells['Replicas'],
      ]);
    }
    for (const { cells, row } of await compare(kinds.SERVICE, (o) =>
      kinds.serviceRow(o as never),
    )) {
      expect([row.type, row.clusterIP ?? '<none>', row.externalIP, row.ports]).toEqual([
        cells['Type'],
        cells['Cluster-IP'],
        cells['External-IP'],
        cells['Port(s)'],
      ]);
    }
    for (const { cells, row } of await compare(kinds.NAMESPACE, (o) =>
      kinds.namespaceRow(o as never),
    )) {
      expect(row.phase).toBe(cells['Status']);
    }
    for (const { cells, row } of await compare(kinds.NODE, (o) => kinds.nodeRow(o as never))) {
      expect([row.status, row.roles.join(',') || '<none>', row.kubeletVersion]).toEqual([
        cells['Status'],
        cells['Roles'],
        cells['Version'],
      ]);
    }
    for (const { cells, row } of await compare(kinds.RUNTIME_CLASS, (o) =>
      kinds.runtimeClassRow(o as never),
    )) {
      expect(row.handler).toBe(cells['Handler']);
    }
  });

  it('events of both API versions', async () => {
    for (const kind of [kinds.EVENT, kinds.EVENT_V1]) {
      const rows = await compare(kind, (o) => kinds.eventRow(o as never));
      for (const { cells, row } of rows) {
        expect([row.type, row.reason, row.message]).toEqual([
          cells['Type'],
          cells['Reason'],
          cells['Message'],
        ]);
        expect(`${row.regarding.kind.toLowerCase()}/${row.regarding.name}`).toBe(cells['Object']);
      }
    }
  });
});

describe('owner workloads', () => {
  it('resolves pods to their Deployment through the ReplicaSet index, with no request per pod', async () => {
    const replicaSets = await client.list<V1ReplicaSet>(RESOURCES.replicaSets, {
      namespace: 'parity',
    });
    const index = kinds.OwnerIndex.of(replicaSets.items);
    const pods = await client.list<V1Pod>(RESOURCES.pods, {
      namespace: 'parity',
      labelSelector: 'app=web',
    });
    expect(pods.items.map((p) => kinds.podRow(p, index).owner)).toEqual([
      { kind: 'Deployment', name: 'web' },
      { kind: 'Deployment', name: 'web' },
    ]);
    const db = await client.get<V1Pod>(RESOURCES.pods, 'db-0', 'parity');
    expect(db && kinds.podRow(db, index).owner).toEqual({ kind: 'StatefulSet', name: 'db' });
  });
});
