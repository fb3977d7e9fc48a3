/**
 * Issue 6's runner controls and day 2 through the API, on three test hosts with the stand-in
 * bundle: Cancel stops after the steps in flight and leaves nothing half-done (Resume
 * converges); a host added to the running cluster joins without touching the others; an agent
 * removed is drained away and its host left clean; a server cannot be removed (400 naming the
 * field); reset with the typed name leaves every host clean.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapStreamEvent, InstallOptionsInput } from '../src/api/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import {
  backendOptions,
  inv,
  leftoversOn,
  readyNodes,
  runFinished,
  setupWorld,
  trustAndCheck,
  type BootstrapWorld,
} from './bootstrap-fleet.ts';
import { SseReader, client, mutate, startTestBackend, tempDir } from './support.ts';

let world: BootstrapWorld;
let dataDir: string;
let backend: RunningBackend;
let api: ReturnType<typeof client>;
/** Inventory id of fleet host `i`. */
const id = (i: number): string => hostIds[i] ?? `no host #${i}`;
let clusterId: string;
let kubeconfig: string;
const hostIds: string[] = [];

/** Host 0 serves, host 1 runs pods; host 2 joins later (day 2). */
const options = (): InstallOptionsInput => ({
  servers: [hostIds[0] ?? ''],
  agents: [hostIds[1] ?? ''],
  sandbox: 'gvisor',
  k3sVersion: world.k3sVersion,
  artifacts: { kind: 'bundle', path: world.bundleDir },
});

const feed = () =>
  SseReader.open(backend, { path: 'bootstrap.events', input: { clusterId }, ready: null });

/** Node names the real kubectl sees, with the kubeconfig the app exports. */
async function nodeNames(): Promise<string[]> {
  await api.bootstrap.exportKubeconfig.mutate({ clusterId, path: kubeconfig });
  return (await readyNodes(kubeconfig)).filter((n) => n.ready).map((n) => n.name);
}

beforeAll(async () => {
  world = await setupWorld('bbd', 3);
  dataDir = tempDir('bbd-data');
  kubeconfig = path.join(tempDir('bbd-kube'), 'config');
  backend = await startTestBackend({ dataDir, ...backendOptions(world) });
  api = client(backend);
  clusterId = (await api.clusters.create.mutate({ name: 'bbd-lab' })).id;
  for (const [i, role] of (['server', 'agent', 'agent'] as const).entries()) {
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
  await trustAndCheck(backend, world, clusterId, hostIds);
});

afterAll(async () => {
  await backend?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  if (kubeconfig) fs.rmSync(path.dirname(kubeconfig), { recursive: true, force: true });
  await world?.release();
});

describe('runner controls and day 2', () => {
  it('cancel stops after the steps in flight; nothing is left running; Resume converges', async () => {
    const reader = await feed();
    const { runId } = await api.bootstrap.start.mutate({ clusterId, options: options() });
    // Cancel as soon as the first host step has finished: the rest of the plan is ahead.
    await reader.waitFor(
      (e) =>
        (e as BootstrapStreamEvent).type === 'run.step' &&
        (e as Extract<BootstrapStreamEvent, { type: 'run.step' }>).event.state === 'done',
      120_000,
    );
    expect(await api.bootstrap.cancel.mutate({ runId })).toEqual({ runId });
    const cancelled = await runFinished(reader, runId);
    expect(cancelled.state).toBe('cancelled');
    const states = cancelled.steps.map((s) => s.state);
    expect(states).toContain('cancelled');
    expect(states).not.toContain('running');
    expect(cancelled.steps.find((s) => s.phase === 'smoke-test')?.state).toBe('cancelled');
    // A cancelled run is not running any more: a second cancel is a clear conflict.
    expect((await mutate(backend, 'bootstrap.cancel', { runId })).status).toBe(409);
    expect((await api.bootstrap.cluster.query({ clusterId })).installed).toBe(false);

    const since = reader.events.length;
    expect(await api.bootstrap.resume.mutate({ runId })).toEqual({ runId });
    const resumed = await runFinished(reader, runId, { since });
    await reader.close();
    expect(resumed.failed).toEqual([]);
    expect(resumed.state).toBe('succeeded');
    // Steps finished before the cancel are not done again.
    const doneBefore = cancelled.steps.filter((s) => s.state === 'done').map((s) => s.key);
    expect(doneBefore.length).toBeGreaterThan(0);
    for (const key of doneBefore) {
      expect(resumed.steps.find((s) => s.key === key)?.state).toMatch(/^(done|unchanged)$/);
    }
    expect(await nodeNames()).toHaveLength(2);
  });

  it('adds a host to the running cluster: it joins, the others are not touched', async () => {
    const reader = await feed();
    const { runId } = await api.bootstrap.addHosts.mutate({ clusterId, hostIds: [id(2)] });
    const run = await runFinished(reader, runId);
    await reader.close();
    expect(run.kind).toBe('add-hosts');
    expect(run.state).toBe('succeeded');
    const hostSteps = run.steps.filter((s) => s.hostId !== null);
    expect(new Set(hostSteps.map((s) => s.hostId))).toEqual(new Set([hostIds[2]]));
    expect(hostSteps.map((s) => s.phase)).toContain('k3s-agent-join');
    expect(await nodeNames()).toHaveLength(3);
    expect((await api.bootstrap.cluster.query({ clusterId })).nodes).toBe(3);
    // Adding it again is refused, naming the field.
    const again = await mutate(backend, 'bootstrap.addHosts', { clusterId, hostIds: [id(2)] });
    expect(again.status).toBe(400);
    expect(again.body).toContain('is already in the cluster');
  });

  it('removes an agent: drained, node deleted, host clean', async () => {
    const before = await nodeNames();
    const reader = await feed();
    const { runId } = await api.bootstrap.removeHost.mutate({ clusterId, hostId: id(2) });
    const run = await runFinished(reader, runId);
    await reader.close();
    expect(run.failed).toEqual([]);
    expect(run.state).toBe('succeeded');
    const after = await nodeNames();
    expect(after).toHaveLength(2);
    expect(before.filter((n) => !after.includes(n))).toHaveLength(1);
    expect(await leftoversOn(world, 2)).toEqual([]);
    expect(await leftoversOn(world, 1)).not.toEqual([]);
  });

  it('refuses to remove the first server, naming the field', async () => {
    const res = await mutate(backend, 'bootstrap.removeHost', { clusterId, hostId: hostIds[0] });
    expect(res.status).toBe(400);
    expect(res.body).toContain('hostId');
    expect(res.body).toContain('reset the cluster instead');
  });

  it('reset with the typed cluster name leaves every host clean', async () => {
    const reader = await feed();
    const { runId } = await api.bootstrap.reset.mutate({ clusterId, confirmName: 'bbd-lab' });
    const run = await runFinished(reader, runId);
    await reader.close();
    expect(run.state).toBe('succeeded');
    for (const i of [0, 1, 2]) expect(await leftoversOn(world, i)).toEqual([]);
    expect(await api.bootstrap.cluster.query({ clusterId })).toEqual({
      installed: false,
      kubeconfigStored: false,
    });
  });
});
