/**
 * What the user sees when things go wrong, against real hosts: wrong password, wrong sudo
 * password, unreachable host and a network cut mid-facts each end in a clear error within
 * the timeout while the other hosts finish; an occupied port 6443 and a nearly full disk
 * show as blocking verdicts with remedies.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPort } from '../../testkit/src/hosts/network.ts';
import { checkHosts, type HostSpec, type ProgressEvent } from '../src/index.ts';
import {
  FAST,
  checkDeps,
  host,
  knownFleetTrust,
  setupWorld,
  type TestWorld,
} from './fleet-helpers.ts';

let world: TestWorld;
beforeAll(async () => {
  world = await setupWorld();
});
afterAll(async () => {
  await world?.release();
});

const GiB = 2 ** 30;

function admin(world: TestWorld, i: number, name = `admin-${i}`): HostSpec {
  const h = host(world, i);
  return {
    name,
    role: i === 0 ? 'server' : 'agent',
    target: { host: h.address, user: 'admin', keyPath: h.accounts.admin.keyPath },
  };
}

describe('failure isolation', () => {
  it('wrong password, wrong sudo password and an unreachable host fail clearly while a good host finishes', async () => {
    const ops = host(world, 1);
    const unreachable = host(world, 0).address.replace(/\.\d+$/, '.250');
    const hosts: HostSpec[] = [
      admin(world, 0, 'good'),
      {
        name: 'bad-sudo',
        role: 'agent',
        target: { host: ops.address, user: 'ops', keyPath: ops.accounts.ops.keyPath },
        sudoPassword: 'not-the-password',
      },
      {
        name: 'bad-login',
        role: 'agent',
        target: { host: host(world, 2).address, user: 'ops', useAgent: false },
        secrets: { password: 'wrong-password' },
      },
      {
        name: 'nowhere',
        role: 'agent',
        target: { host: unreachable, user: 'admin', keyPath: ops.accounts.admin.keyPath },
      },
    ];
    const events: ProgressEvent[] = [];
    const started = Date.now();
    const r = await checkHosts(hosts, checkDeps(world, knownFleetTrust(world)), (e) =>
      events.push(e),
    );
    const elapsed = Date.now() - started;
    // Bound: connect timeout × attempts + backoff, far below "hang".
    expect(elapsed).toBeLessThan(FAST.timeouts.connectMs * FAST.retry.attempts + 5_000);
    const by = new Map(r.hosts.map((h) => [h.name, h]));
    expect(by.get('good')?.status).toBe('ok');
    expect(by.get('good')?.facts?.hostname).toBe(host(world, 0).name);
    expect(by.get('bad-sudo')?.failure).toMatchObject({
      step: 'privilege',
      kind: 'sudo',
      message: expect.stringMatching(/rejected the password/),
    });
    expect(by.get('bad-login')?.failure).toMatchObject({
      step: 'connect',
      kind: 'auth',
      message: expect.stringMatching(/refused the login as "ops"/),
    });
    expect(['unreachable', 'timeout']).toContain(by.get('nowhere')?.failure?.kind);
    for (const f of r.hosts.flatMap((h) => (h.failure ? [h.failure] : [])))
      expect(f.remedy.length).toBeGreaterThan(10);
    // Every host's grid row ends in done (preflight) or failed.
    for (const name of ['good', 'bad-sudo', 'bad-login', 'nowhere']) {
      const last = events.filter((e) => e.host === name).at(-1);
      expect(last?.state).toBe(name === 'good' ? 'done' : 'failed');
    }
    expect(r.capacity.hosts.map((h) => h.name)).toEqual(['good']);
  });

  it('a network cut mid-facts ends in a timeout error, not a hang, and the other host finishes', async () => {
    const victim = world.fleet.hosts[1];
    if (!victim) throw new Error('no host 2');
    const cut = () =>
      // Synchronous on purpose: the cable is unplugged before the facts command is sent.
      execFileSync('ip', [
        '-n',
        world.fleet.paths.netns,
        'link',
        'set',
        hostPort(victim.state.index),
        'down',
      ]);
    let cutDone = false;
    try {
      const started = Date.now();
      const r = await checkHosts(
        [admin(world, 0, 'stays'), admin(world, 1, 'cut')],
        checkDeps(world, knownFleetTrust(world)),
        (e) => {
          if (e.host === 'cut' && e.step === 'facts' && e.state === 'running' && !cutDone) {
            cut();
            cutDone = true;
          }
        },
      );
      const elapsed = Date.now() - started;
      expect(cutDone).toBe(true);
      const failure = r.hosts.find((h) => h.name === 'cut')?.failure;
      expect(failure?.step).toBe('facts');
      expect(['timeout', 'unreachable']).toContain(failure?.kind);
      expect(elapsed).toBeLessThan(FAST.timeouts.commandMs + 4_000);
      expect(r.hosts.find((h) => h.name === 'stays')?.status).toBe('ok');
    } finally {
      await victim.restoreNetwork();
    }
  });
});

describe('blocking verdicts', () => {
  it('port 6443 occupied and a nearly full disk block, with remedies', async () => {
    const h = world.fleet.hosts[0];
    if (!h) throw new Error('no host 1');
    // Test hosts have ~4 GiB disks: scale the disk thresholds down so the fill is what blocks.
    const hostLimits = {
      diskBlockBytes: 0.5 * GiB,
      diskWarnBytes: 1 * GiB,
      serverMemoryBlockBytes: 0,
      serverMemoryWarnBytes: 0,
      agentMemoryBlockBytes: 0,
      agentMemoryWarnBytes: 0,
    };
    const deps = checkDeps(world, knownFleetTrust(world), { hostLimits, sandbox: 'gvisor' });
    const before = await checkHosts([admin(world, 0, 'srv')], deps);
    const verdicts = (r: typeof before) => r.hosts[0]?.preflight?.verdicts ?? [];
    expect(verdicts(before).find((v) => v.rule === 'disk')?.level).toBe('ok');
    expect(verdicts(before).find((v) => v.rule === 'port-6443')).toBeUndefined();
    await h.occupyPort(6443);
    await h.fillDisk(97);
    try {
      const after = await checkHosts([admin(world, 0, 'srv')], deps);
      const port = verdicts(after).find((v) => v.rule === 'port-6443');
      expect(port).toMatchObject({ level: 'block' });
      expect(port?.reason).toMatch(
        /port 6443\/tcp \(Kubernetes API server\) is in use by node \(pid \d+\)/,
      );
      expect(port?.remedy).toMatch(/^Stop node/);
      const disk = verdicts(after).find((v) => v.rule === 'disk');
      expect(disk).toMatchObject({ level: 'block' });
      expect(disk?.remedy).toMatch(/Free at least/);
      expect(after.hosts[0]?.preflight?.level).toBe('block');
      expect(after.capacity.hosts[0]?.eligible).toBe(false);
      expect(after.cluster.verdicts.find((v) => v.rule === 'capacity')?.level).toBe('block');
    } finally {
      await h.releasePort(6443);
      await h.freeDisk();
    }
  });
});
