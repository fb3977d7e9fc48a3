/**
 * HA bootstrap on test hosts: 3 servers (cluster-init on the first, the others joined one at a
 * time) + 1 agent; an occupied port on a joining server stops that host with a clear error
 * while the cluster stays consistent, and Resume finishes once the port is free.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapEvent } from '@nodeless/common';
import { MemoryJournal, leftovers, resetPlan, runPlan } from '../src/bootstrap/index.ts';
import {
  buildCluster,
  closeHandles,
  kubectl,
  nodes,
  runOnce,
  setupBootWorld,
  type BootWorld,
  type Cluster,
} from './bootstrap-helpers.ts';

let world: BootWorld;
let kubeconfigPath: string;
const open: Cluster[] = [];
const name = (i: number) => world.hosts[i]?.name ?? '';

async function cluster(): Promise<Cluster> {
  const c = await buildCluster(world, {
    name: 'boot-ha',
    servers: [name(0), name(1), name(2)],
    agents: [name(3)],
    kubeconfigPath,
  });
  open.push(c);
  return c;
}

async function resetAll(runId: string): Promise<void> {
  const c = await cluster();
  const out = await runPlan(resetPlan('boot-ha', [...c.hosts.values()]), {
    runId,
    journal: new MemoryJournal(),
    concurrency: 4,
  });
  expect(out.state).toBe('succeeded');
}

beforeAll(async () => {
  world = await setupBootWorld('bsh', 4);
  kubeconfigPath = join(world.dir, 'kubeconfig.yaml');
  await resetAll('pre-clean');
});

afterAll(async () => {
  await world?.fleet.hosts[1]?.releasePort(6443).catch(() => undefined);
  for (const c of open) closeHandles(c.hosts);
  await world?.release();
});

describe('HA: 3 servers + 1 agent', () => {
  it('an occupied port on a joining server: clear error there, resume after freeing it', async () => {
    const blocked = world.fleet.hosts[1];
    if (!blocked) throw new Error('no host 1');
    await blocked.occupyPort(6443);
    const { outcome, journal } = await runOnce(await cluster(), 'ha-1');
    expect(outcome.state).toBe('failed');
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]?.host).toBe(blocked.name);
    expect(outcome.failed[0]?.message).toMatch(/Port 6443 .* already in use/);
    expect(outcome.failed[0]?.remedy).toMatch(/ss -ltnp/);
    const states = new Map(journal.entries('ha-1').map((e) => [e.step, e.state]));
    expect(states.get(`k3s-server-init@${name(0)}`)).toBe('done');
    expect(states.get(`k3s-server-join@${name(2)}`)).toBe('cancelled');

    await blocked.releasePort(6443);
    const events: BootstrapEvent[] = [];
    const { outcome: resumed } = await runOnce(await cluster(), 'ha-1', {
      onEvent: (e) => events.push(e),
    });
    expect(resumed.failed).toEqual([]);
    expect(resumed.state).toBe('succeeded');
    // Servers join one at a time, then the agent: each starts after the previous finished.
    const at = (step: string, state: string) =>
      events.findIndex((e) => e.step === step && e.state === state);
    const order = [
      `k3s-server-init@${name(0)}`,
      `k3s-server-join@${name(1)}`,
      `k3s-server-join@${name(2)}`,
      `k3s-agent-join@${name(3)}`,
    ];
    for (let i = 1; i < order.length; i++) {
      const prevEnd = Math.max(at(order[i - 1] ?? '', 'done'), at(order[i - 1] ?? '', 'unchanged'));
      expect(prevEnd).toBeGreaterThan(-1);
      expect(at(order[i] ?? '', 'checking')).toBeGreaterThan(prevEnd);
    }
    expect(resumed.changed).toContain(`k3s-server-join@${name(1)}`);
    expect(resumed.changed).toContain(`k3s-server-join@${name(2)}`);
  });

  it('the real kubectl sees 4 Ready nodes, three of them control-plane + etcd', async () => {
    const list = await nodes(kubeconfigPath);
    expect(list.map((n) => n.name).sort()).toEqual(world.hosts.map((h) => h.name).sort());
    expect(list.every((n) => n.ready)).toBe(true);
    const etcd = await kubectl(kubeconfigPath, [
      'get',
      'nodes',
      '-l',
      'node-role.kubernetes.io/etcd',
      '-o',
      'name',
    ]);
    expect(etcd.trim().split('\n').sort()).toEqual([0, 1, 2].map((i) => `node/${name(i)}`).sort());
  });

  it('a re-run changes nothing; reset leaves every host clean', async () => {
    const { outcome } = await runOnce(await cluster(), 'ha-2');
    expect(outcome.changed).toEqual([]);
    await resetAll('ha-reset');
    for (const c of open.slice(-1))
      for (const h of c.hosts.values()) expect(await leftovers(h)).toEqual([]);
  });
});
