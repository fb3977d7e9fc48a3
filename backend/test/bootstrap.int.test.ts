/**
 * Issue 6 through the API, against real test hosts and the stand-in bundle: preview lists
 * changes → start → events reach `run.finished` succeeded → the cluster is installed with its
 * kubeconfig stored encrypted (not in the database file in plaintext) → export writes it 0600
 * → the real kubectl sees the nodes Ready and the RuntimeClasses → a second run changes
 * nothing and the preview shows 0 changes → a backend closed mid-run leaves it `interrupted`
 * → Resume converges. Also: 412 without a check report, 400 on a wrong reset confirmation.
 * The join token leak test (issue 16): after those runs, the k3s join token the agent joined
 * with appears in no run log, event, API response, log file or journal row.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SMOKE_IMAGE } from '@nodeless/cluster-runtime';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapStreamEvent, InstallOptionsInput } from '../src/api/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { DATABASE_FILE } from '../src/backend.ts';
import {
  backendOptions,
  inv,
  kubectl,
  readyNodes,
  runFinished,
  setupWorld,
  trustAndCheck,
  type BootstrapWorld,
} from './bootstrap-fleet.ts';
import { SseReader, client, mutate, request, startTestBackend, tempDir } from './support.ts';

let world: BootstrapWorld;
let dataDir: string;
let backend: RunningBackend;
let api: ReturnType<typeof client>;
let clusterId: string;
const hostIds: string[] = [];

const start = async () => {
  backend = await startTestBackend({ dataDir, ...backendOptions(world) });
  api = client(backend);
};

const options = (): InstallOptionsInput => ({
  servers: [hostIds[0] ?? ''],
  agents: [hostIds[1] ?? ''],
  // Test hosts have no usable KVM: `auto` must resolve to gVisor (DESIGN.md §4 step 9).
  sandbox: 'auto',
  k3sVersion: world.k3sVersion,
  artifacts: { kind: 'bundle', path: world.bundleDir },
});

/** Every bootstrap event stream the tests opened (the leak test greps them all). */
const readers: SseReader[] = [];
const feed = async () => {
  const reader = await SseReader.open(backend, {
    path: 'bootstrap.events',
    input: { clusterId },
    ready: null,
  });
  readers.push(reader);
  return reader;
};

/** A tRPC query as raw HTTP: the body exactly as a client receives it. */
const query = async (procedure: string, input: unknown) =>
  (
    await request(
      `${backend.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
      { headers: { authorization: `Bearer ${backend.token}` } },
    )
  ).body;

beforeAll(async () => {
  world = await setupWorld();
  dataDir = tempDir('bbk-data');
  await start();
  clusterId = (await api.clusters.create.mutate({ name: 'bbk-lab' })).id;
  for (const [i, role] of [
    [0, 'server'],
    [1, 'agent'],
  ] as const) {
    const host = await api.hosts.add.mutate({
      clusterId,
      address: inv(world, i).address,
      port: 22,
      user: 'admin',
      role,
      auth: { kind: 'key', keyPath: inv(world, i).accounts.admin.keyPath },
      sudo: { kind: 'passwordless' },
    });
    hostIds.push(host.id);
  }
});

afterAll(async () => {
  await backend?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  await world?.release();
});

describe('bootstrap API', () => {
  it('refuses to start without a check report (412 with the blockers)', async () => {
    const defaults = await api.bootstrap.defaults.query({ clusterId });
    expect(defaults.servers).toEqual([hostIds[0]]);
    expect(defaults.agents).toEqual([hostIds[1]]);
    expect(world.k3sVersion.startsWith(defaults.k3sVersion)).toBe(true);
    expect(defaults.upgrade).toEqual({
      supported: false,
      reason: 'Upgrades are not implemented yet',
    });
    expect(defaults.blockers.join(' ')).toMatch(/check the hosts first/i);
    const res = await mutate(backend, 'bootstrap.start', { clusterId, options: options() });
    expect(res.status).toBe(412);
    expect(res.body).toMatch(/check the hosts first/i);
  });

  it('after a check: preview lists changes, the install succeeds, kubectl sees the cluster', async () => {
    await trustAndCheck(backend, world, clusterId, hostIds);
    expect((await api.bootstrap.defaults.query({ clusterId })).blockers).toEqual([]);

    const preview = await api.bootstrap.preview.mutate({ clusterId, options: options() });
    expect(preview.changes).toBeGreaterThan(0);
    expect(
      preview.items.some(
        (i) => i.hostId === hostIds[1] && i.phase === 'k3s-agent-join' && i.willChange,
      ),
    ).toBe(true);
    expect(preview.items.find((i) => i.hostId === hostIds[0])?.hostLabel).toBe(
      inv(world, 0).address,
    );

    const reader = await feed();
    const { runId } = await api.bootstrap.start.mutate({ clusterId, options: options() });
    const again = await mutate(backend, 'bootstrap.start', { clusterId, options: options() });
    expect(again.status).toBe(409);
    const run = await runFinished(reader, runId);
    expect(run.failed).toEqual([]);
    expect(run.state).toBe('succeeded');
    expect(run.steps.map((s) => s.phase)).toEqual(
      expect.arrayContaining([
        'prepare-os',
        'k3s-server-init',
        'k3s-agent-join',
        'sandbox-runtime',
        'cluster-baseline',
        'kubeconfig',
        'smoke-test',
      ]),
    );
    expect(reader.events).toContainEqual(
      expect.objectContaining({
        type: 'run.step',
        runId,
        event: expect.objectContaining({
          hostId: hostIds[1],
          phase: 'k3s-agent-join',
          state: 'done',
        }),
      }),
    );
    await reader.close();
    const logs = await api.bootstrap.logs.query({ runId, hostId: hostIds[0] });
    expect(logs.lines.length).toBeGreaterThan(0);

    const cluster = await api.bootstrap.cluster.query({ clusterId });
    expect(cluster).toMatchObject({
      installed: true,
      kubeconfigStored: true,
      nodes: 2,
      sandbox: 'gvisor',
      k3sVersion: world.k3sVersion,
      serverUrl: `https://${inv(world, 0).address}:6443`,
    });

    const out = path.join(tempDir('bbk-kube'), 'config');
    const exported = await api.bootstrap.exportKubeconfig.mutate({ clusterId, path: out });
    expect(exported).toEqual({ path: out, context: 'bbk-lab' });
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain(`server: https://${inv(world, 0).address}:6443`);
    // At rest only as ciphertext: no kubeconfig credential in the database or its WAL.
    const keyData = /client-key-data: (\S+)/.exec(text)?.[1] ?? /token: (\S+)/.exec(text)?.[1];
    expect(keyData).toBeTruthy();
    for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) {
      const file = path.join(dataDir, f);
      if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(keyData ?? '')).toBe(false);
    }

    const nodes = await readyNodes(out);
    expect(nodes).toHaveLength(2);
    expect(nodes.every((n) => n.ready)).toBe(true);
    const classes = await kubectl(out, ['get', 'runtimeclass', '-o', 'name']);
    expect(classes).toContain('runtimeclass.node.k8s.io/gvisor');
    expect(classes).not.toContain('runtimeclass.node.k8s.io/kata-clh');
    // The smoke test ran the busybox the airgap bundle preloads (its tag differs from the
    // online default), not an image from the internet.
    const smoke = await kubectl(out, [
      ...['-n', 'nodeless-system', 'get', 'configmap', 'nodeless-smoke-test-result'],
      ...['-o', 'jsonpath={.data.image}'],
    ]);
    expect(smoke).toBe(world.smokeImage);
    expect(smoke).not.toBe(DEFAULT_SMOKE_IMAGE);
  });

  it('a second run changes nothing, and the preview says so', async () => {
    const preview = await api.bootstrap.preview.mutate({ clusterId, options: options() });
    expect(preview.items.filter((i) => i.willChange)).toEqual([]);
    expect(preview.changes).toBe(0);
    const reader = await feed();
    const { runId } = await api.bootstrap.start.mutate({ clusterId, options: options() });
    const run = await runFinished(reader, runId);
    await reader.close();
    expect(run.state).toBe('succeeded');
    expect(run.changed).toEqual([]);
    expect(run.steps.length).toBeGreaterThan(0);
    expect(run.steps.every((s) => s.state === 'unchanged')).toBe(true);
  });

  it('a backend closed mid-run leaves the run interrupted; Resume converges', async () => {
    const { runId } = await api.bootstrap.start.mutate({ clusterId, options: options() });
    await backend.close();
    await start();
    const interrupted = await api.bootstrap.run.query({ runId });
    expect(interrupted.state).toBe('interrupted');
    const reader = await feed();
    // A late subscriber first gets the latest run as a whole (here: the interrupted one).
    const replay = (await reader.waitFor(() => true)) as BootstrapStreamEvent;
    expect(replay).toMatchObject({
      type: 'run.finished',
      run: { id: runId, state: 'interrupted' },
    });
    expect(await api.bootstrap.resume.mutate({ runId })).toEqual({ runId });
    const run = await runFinished(reader, runId);
    await reader.close();
    expect(run.state).toBe('succeeded');
    expect(run.steps.every((s) => s.state === 'unchanged' || s.state === 'done')).toBe(true);
    const runs = await api.bootstrap.runs.query({ clusterId });
    expect(runs[0]?.id).toBe(runId);
  });

  it('the join token shows in no run log, event, API response, log file or journal', async () => {
    const token = (
      await world.fleet.hosts[0]?.exec(['cat', '/var/lib/rancher/k3s/server/token'])
    )?.stdout.trim();
    const secret = token?.split('::server:').pop() ?? '';
    expect(secret.length).toBeGreaterThan(8);
    // Not vacuous: the agent joined with it (its config holds it).
    const agentConfig = await world.fleet.hosts[1]?.exec(['cat', '/etc/rancher/k3s/config.yaml']);
    expect(agentConfig?.stdout.includes(secret)).toBe(true);

    const texts: Record<string, string> = {};
    const runs = JSON.parse(await query('bootstrap.runs', { clusterId })) as {
      result: { data: { id: string }[] };
    };
    texts['bootstrap.runs'] = JSON.stringify(runs);
    for (const { id } of runs.result.data) {
      texts[`bootstrap.run ${id}`] = await query('bootstrap.run', { runId: id });
      texts[`bootstrap.logs ${id}`] = await query('bootstrap.logs', { runId: id, limit: 5_000 });
    }
    texts['bootstrap.cluster'] = await query('bootstrap.cluster', { clusterId });
    texts['inventory.list'] = await query('inventory.list', undefined);
    readers.forEach((r, i) => (texts[`events #${String(i)}`] = r.raw.join('\n')));
    const logDir = path.join(dataDir, 'logs');
    for (const f of fs.readdirSync(logDir)) {
      texts[`log ${f}`] = fs.readFileSync(path.join(logDir, f), 'utf8');
    }
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      texts['run_logs'] = JSON.stringify(db.prepare('SELECT * FROM run_logs').all());
      texts['run_steps'] = JSON.stringify(db.prepare('SELECT * FROM run_steps').all());
    } finally {
      db.close();
    }
    // The greps look at real content: the install's step logs are there.
    expect(texts['run_logs']?.length ?? 0).toBeGreaterThan(1_000);
    // Only the names of the places that leak are printed, never the token itself.
    const leaks = Object.entries(texts)
      .filter(([, text]) => text.includes(secret))
      .map(([where]) => where);
    expect(leaks).toEqual([]);
  });

  it('reset needs the cluster name typed exactly', async () => {
    const res = await mutate(backend, 'bootstrap.reset', { clusterId, confirmName: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('confirmName');
  });
});
