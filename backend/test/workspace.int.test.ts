/**
 * The cluster workspace against the real control plane (kube-apiserver v1.36, KWOK machines),
 * through the backend's API as a window uses it: the admin kubeconfig imported from its file,
 * the pods feed converging and following pods made and deleted with the real kubectl, the
 * Overview's capacity pool equal to what the machines' allocatable and the pods' requests say,
 * pod details with their events, a kubeconfig that points nowhere ('unreachable'), a user
 * without RBAC ('forbidden' naming the permission), and a kube-apiserver restart (stale, then
 * live again by itself).
 */
import fs from 'node:fs';
import path from 'node:path';
import { quantityMilliValue, quantityValue } from '@nodeless/common';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_FILE, type RunningBackend } from '../src/backend.ts';
import type { FeedMessage, Overview, WorkspacePodRow } from '../src/clusters/contract.ts';
import { client, mutate, SseReader, startTestBackend, tempDir } from './support.ts';

let cp: ControlPlane;
let backend: RunningBackend;
let dataDir: string;
let clusterId: string;
const readers: SseReader[] = [];

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 2 });
  dataDir = tempDir('workspace');
  backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: null } });
}, 900_000);
afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
  await backend?.close();
  await cp?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await cp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function open(pathName: string, input: unknown): Promise<SseReader> {
  const reader = await SseReader.open(backend, { path: pathName, input, ready: null });
  readers.push(reader);
  return reader;
}

const messages = (r: SseReader) => r.events as FeedMessage<WorkspacePodRow>[];
const rowsOf = (r: SseReader) => messages(r).flatMap((m) => (m.type === 'rows' ? m.rows : []));
const statusOf = (e: unknown) => (e as FeedMessage<WorkspacePodRow>).type === 'status';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfigFor(server: string, user: { certPem: string; keyPem: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: k, cluster: {server: "${server}", certificate-authority-data: ${b64(cp.caPem)}}}]`,
    `users: [{name: u, user: {client-certificate-data: ${b64(user.certPem)}, client-key-data: ${b64(user.keyPem)}}}]`,
    'contexts: [{name: c, context: {cluster: k, user: u}}]',
    'current-context: c',
    '',
  ].join('\n');
}

function podManifest(name: string, cpu: string, memory: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          resources: { requests: { cpu, memory }, limits: { cpu, memory } },
        },
      ],
    },
  });
}

describe('an imported cluster', () => {
  it('imports the admin kubeconfig from its file', async () => {
    const api = client(backend);
    const contexts = await api.workspace.previewKubeconfig.mutate({ path: cp.kubeconfigPath });
    const context = contexts.find((c) => c.current) ?? contexts[0];
    expect(context?.server).toBe(cp.url);
    const cluster = await api.workspace.importKubeconfig.mutate({
      name: 'real',
      path: cp.kubeconfigPath,
      context: context?.name ?? '',
    });
    expect(cluster).toMatchObject({ source: 'imported', servers: [cp.url] });
    clusterId = cluster.id;
    expect((await api.workspace.clusters.query()).map((c) => c.id)).toContain(clusterId);
  });

  it('feeds pods: converges, and follows pods kubectl creates and deletes', async () => {
    const feed = await open('workspace.feed', { clusterId, kind: 'pods' });
    await feed.waitFor((e) => (e as FeedMessage<WorkspacePodRow>).type === 'synced', 60_000);
    await feed.waitFor(
      (e) => statusOf(e) && (e as { status: { state: string } }).status.state === 'live',
      60_000,
    );
    await kubectl(['apply', '-f', '-'], podManifest('web-1', '500m', '1Gi'));
    await feed.waitFor(
      (e) =>
        (e as FeedMessage<WorkspacePodRow>).type === 'rows' &&
        (e as { rows: WorkspacePodRow[] }).rows.some((r) => r.name === 'web-1'),
      60_000,
    );
    const row = rowsOf(feed).find((r) => r.name === 'web-1');
    expect(row?.request).toEqual({ cpuMilli: 500, memoryBytes: 2 ** 30 });
    await kubectl(['delete', 'pod', 'web-1', '--wait=false', '--grace-period=0', '--force']);
    await feed.waitFor(
      (e) =>
        (e as FeedMessage<WorkspacePodRow>).type === 'deleted' &&
        (e as { uids: string[] }).uids.includes(row?.uid ?? ''),
      60_000,
    );
  }, 180_000);

  it('computes the Overview pool from the machines and the pods', async () => {
    await kubectl(['apply', '-f', '-'], podManifest('sized', '1', '2Gi'));
    await kubectl(['wait', '--for=jsonpath={.spec.nodeName}', 'pod/sized', '--timeout=60s']);
    const nodes = JSON.parse(await kubectl(['get', 'nodes', '-o', 'json'])) as {
      items: {
        spec?: { unschedulable?: boolean };
        status: {
          allocatable: Record<string, string>;
          conditions: { type: string; status: string }[];
        };
      }[];
    };
    const ready = nodes.items.filter(
      (n) =>
        !n.spec?.unschedulable &&
        n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    const total = {
      cpuMilli: ready.reduce(
        (s, n) => s + quantityMilliValue(n.status.allocatable['cpu'] ?? '0'),
        0,
      ),
      memoryBytes: ready.reduce(
        (s, n) => s + quantityValue(n.status.allocatable['memory'] ?? '0'),
        0,
      ),
    };
    const pods = JSON.parse(await kubectl(['get', 'pods', '-A', '-o', 'json'])) as {
      items: {
        spec: {
          nodeName?: string;
          containers: { resources?: { requests?: Record<string, string> } }[];
        };
        status: { phase: string };
      }[];
    };
    const placed = pods.items.filter(
      (p) => p.spec.nodeName && !['Succeeded', 'Failed'].includes(p.status.phase),
    );
    const taken = {
      cpuMilli: placed.reduce(
        (s, p) =>
          s +
          p.spec.containers.reduce(
            (c, k) => c + quantityMilliValue(k.resources?.requests?.['cpu'] ?? '0'),
            0,
          ),
        0,
      ),
      memoryBytes: placed.reduce(
        (s, p) =>
          s +
          p.spec.containers.reduce(
            (c, k) => c + quantityValue(k.resources?.requests?.['memory'] ?? '0'),
            0,
          ),
        0,
      ),
    };
    expect(total.cpuMilli).toBeGreaterThan(0);
    const overview = await open('workspace.overview', { clusterId });
    const seen = (await overview.waitFor((e) => {
      const o = e as Overview;
      return o.pool.taken.cpuMilli === taken.cpuMilli && o.pool.total.cpuMilli === total.cpuMilli;
    }, 60_000)) as Overview;
    expect(seen.pool.total).toEqual(total);
    expect(seen.pool.taken).toEqual(taken);
    expect(seen.pool.free).toEqual({
      cpuMilli: total.cpuMilli - taken.cpuMilli,
      memoryBytes: total.memoryBytes - taken.memoryBytes,
    });
    expect(seen.machines).toEqual({ total: nodes.items.length, ready: ready.length });
    expect(seen.pool.fits.find((f) => f.size === '0.25x0.5')?.count).toBeGreaterThan(0);
    expect(seen.status.state).toBe('live');
    // metrics-server runs on the control plane: usage is available, and the version is known.
    const healthy = (await overview.waitFor(
      (e) => (e as Overview).metricsAvailable && (e as Overview).version !== undefined,
      90_000,
    )) as Overview;
    expect(healthy.version).toBe('v1.36.3');
    expect(healthy.warnings.map((w) => w.kind)).not.toContain('metrics-missing');
  }, 240_000);

  it('gives pod details with the pod events, newest first', async () => {
    const api = client(backend);
    let detail = await api.workspace.pod.query({ clusterId, namespace: 'default', name: 'sized' });
    const deadline = Date.now() + 60_000;
    while (detail.events.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      detail = await api.workspace.pod.query({ clusterId, namespace: 'default', name: 'sized' });
    }
    expect(detail.row.name).toBe('sized');
    expect((detail.object['metadata'] as Record<string, unknown>)['managedFields']).toBeUndefined();
    expect(detail.events.map((e) => e.reason)).toContain('Scheduled');
    const times = detail.events.map((e) => e.lastAt ?? e.firstAt ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    await expect(
      api.workspace.pod.query({ clusterId, namespace: 'default', name: 'nope' }),
    ).rejects.toThrow(/No pod/);
  }, 120_000);
});

describe('faults', () => {
  it("a kubeconfig pointing nowhere is 'unreachable'", async () => {
    const user = cp.issueClientCert('admin-x', ['system:masters']);
    const api = client(backend);
    const cluster = await api.workspace.importKubeconfig.mutate({
      name: 'nowhere',
      text: kubeconfigFor('https://127.0.0.1:1', user),
      context: 'c',
    });
    const feed = await open('workspace.feed', { clusterId: cluster.id, kind: 'pods' });
    const status = (await feed.waitFor(
      (e) => statusOf(e) && (e as { status: { state: string } }).status.state === 'failed',
      60_000,
    )) as { status: { problem?: { code: string } } };
    expect(status.status.problem?.code).toBe('unreachable');
  }, 90_000);

  it("a server whose certificate the kubeconfig's CA did not sign is 'tls'", async () => {
    const user = cp.issueClientCert('admin-tls', ['system:masters']);
    // Another certificate as the "CA": the API server's chain does not lead to it.
    const text = kubeconfigFor(cp.url, user).replace(b64(cp.caPem), b64(user.certPem));
    const cluster = await client(backend).workspace.importKubeconfig.mutate({
      name: 'wrong-ca',
      text,
      context: 'c',
    });
    const feed = await open('workspace.feed', { clusterId: cluster.id, kind: 'pods' });
    const status = (await feed.waitFor(
      (e) => statusOf(e) && (e as { status: { state: string } }).status.state === 'failed',
      60_000,
    )) as { status: { problem?: { code: string; message: string } } };
    expect(status.status.problem?.code).toBe('tls');
    expect(status.status.problem?.message).toContain(cp.url);
  }, 90_000);

  it("a user without RBAC is 'forbidden', naming the permission", async () => {
    const api = client(backend);
    const cluster = await api.workspace.importKubeconfig.mutate({
      name: 'nobody',
      text: kubeconfigFor(cp.url, cp.issueClientCert('nobody', [])),
      context: 'c',
    });
    const feed = await open('workspace.feed', { clusterId: cluster.id, kind: 'pods' });
    const status = (await feed.waitFor(
      (e) =>
        statusOf(e) &&
        (e as { status: { problem?: { code: string } } }).status.problem?.code === 'forbidden',
      60_000,
    )) as { status: { state: string; problem: { message: string } } };
    expect(status.status.state).toBe('failed');
    expect(status.status.problem.message).toMatch(
      /User "nobody" cannot (list|watch) resource "\w+"/,
    );
  }, 90_000);

  it('re-reads a kubeconfig file that changed: forbidden, then live on the new credentials', async () => {
    const file = path.join(dataDir, 'rotating.kubeconfig');
    fs.writeFileSync(file, kubeconfigFor(cp.url, cp.issueClientCert('nobody-2', [])), {
      mode: 0o600,
    });
    const cluster = await client(backend).workspace.importKubeconfig.mutate({
      name: 'rotating',
      path: file,
      context: 'c',
    });
    const feed = await open('workspace.feed', { clusterId: cluster.id, kind: 'pods' });
    const state = (s: string) => (e: unknown) =>
      statusOf(e) && (e as { status: { state: string } }).status.state === s;
    await feed.waitFor(state('failed'), 60_000);
    const admin = cp.issueClientCert('admin-2', ['system:masters']);
    fs.writeFileSync(file, kubeconfigFor(cp.url, admin), { mode: 0o600 });
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(file, later, later);
    await feed.waitFor(state('live'), 90_000);
    await feed.waitFor((e) => (e as FeedMessage<WorkspacePodRow>).type === 'synced', 30_000);
  }, 150_000);

  it('goes stale when kube-apiserver stops, and live again by itself when it returns', async () => {
    const feed = await open('workspace.feed', { clusterId, kind: 'pods' });
    const state = (s: string) => (e: unknown) =>
      statusOf(e) && (e as { status: { state: string } }).status.state === s;
    await feed.waitFor(state('live'), 60_000);
    await cp.stopComponent('kube-apiserver');
    // Stale at once (the watch broke); the problem is named once a retry finds no server.
    await feed.waitFor(state('stale'), 60_000);
    const stale = (await feed.waitFor(
      (e) =>
        state('stale')(e) &&
        (e as { status: { problem?: { code: string } } }).status.problem?.code === 'unreachable',
      60_000,
    )) as { status: { problem: { message: string } } };
    expect(stale.status.problem.message).toContain(cp.url);
    const before = feed.events.length;
    await cp.startComponent('kube-apiserver');
    await feed.waitFor((e) => state('live')(e) && feed.events.indexOf(e) >= before, 90_000);
    await kubectl(['apply', '-f', '-'], podManifest('after-restart', '250m', '512Mi'));
    await feed.waitFor(
      (e) =>
        (e as FeedMessage<WorkspacePodRow>).type === 'rows' &&
        (e as { rows: WorkspacePodRow[] }).rows.some((r) => r.name === 'after-restart'),
      60_000,
    );
  }, 240_000);
});

describe('secrets', () => {
  it('never logs kubeconfig text, even input the schema refuses', async () => {
    const user = cp.issueClientCert('leak-check', []);
    const text = kubeconfigFor(cp.url, user);
    const refused = await mutate(backend, 'workspace.importKubeconfig', { text, context: 'c' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('name: is required');
    const log = fs.readFileSync(path.join(dataDir, LOG_FILE), 'utf8');
    expect(log).toContain('workspace.importKubeconfig');
    expect(log).not.toContain(b64(user.keyPem).slice(0, 64));
    const admin = /client-key-data: (\S+)/.exec(cp.kubeconfig)?.[1] ?? '';
    expect(admin.length).toBeGreaterThan(64);
    expect(log).not.toContain(admin.slice(0, 64));
  });
});

describe('removal', () => {
  it('forgets an imported cluster and its kubeconfig', async () => {
    const api = client(backend);
    const before = await api.workspace.clusters.query();
    const nowhere = before.find((c) => c.name === 'nowhere');
    await api.workspace.remove.mutate({ clusterId: nowhere?.id ?? '' });
    expect((await api.workspace.clusters.query()).map((c) => c.name)).not.toContain('nowhere');
    expect(path.isAbsolute(cp.kubeconfigPath)).toBe(true);
  });
});
