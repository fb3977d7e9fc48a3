/**
 * Run ownership with two "processes" on one database file: two stores with their own owners
 * and a probe the test controls (which pids are alive), as the app and the CLI share a data dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretBox } from '../secrets/secret-box.ts';
import { RunInFlightError, type RunOwner } from './run-owner.ts';
import { openStore, type Store } from './store.ts';

const box: SecretBox = {
  kind: 'aes-256-gcm-file',
  encrypt: (plain) => Buffer.from(plain, 'utf8').reverse(),
  decrypt: (cipher) => Buffer.from(cipher).reverse().toString('utf8'),
};

let dir: string;
let now: Date;
const alive = new Set<number>();
const stores: Store[] = [];

const APP: RunOwner = { kind: 'app', pid: 100, instance: 'app-1', start: 'app' };
const CLI: RunOwner = { kind: 'cli', pid: 200, instance: 'cli-1', start: 'cli' };

function open(owner: RunOwner, staleMs = 60_000): Store {
  const store = openStore({
    file: path.join(dir, 'nodeless.db'),
    box,
    onSecret: () => undefined,
    clock: () => now,
    owner,
    probe: { status: (pid) => (alive.has(pid) ? 'alive' : 'gone') },
    staleMs,
  });
  stores.push(store);
  return store;
}

function cluster(store: Store, id = 'c1'): string {
  const at = now.toISOString();
  store.clusters.insert({ id, name: `lab-${id}`, created_at: at, updated_at: at });
  return id;
}

const newRun = (id: string, clusterId = 'c1') => ({
  id,
  cluster_id: clusterId,
  kind: 'install' as const,
  spec: '{}',
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-leases-'));
  now = new Date('2030-01-01T00:00:00.000Z');
  alive.clear();
  alive.add(APP.pid).add(CLI.pid);
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('run leases across processes', () => {
  it('a second process cannot start a run while the first runs one; the refusal names it', () => {
    const cli = open(CLI);
    const app = open(APP);
    cluster(cli);
    cli.leases.begin(newRun('r1'));
    expect(() => app.leases.begin(newRun('r2'))).toThrow(RunInFlightError);
    expect(() => app.leases.begin(newRun('r2'))).toThrow(
      'install run r1, started 2030-01-01T00:00:00.000Z by the nodeless CLI (pid 200)',
    );
    // The same process cannot either, and other clusters are not affected.
    expect(() => cli.leases.begin(newRun('r3'))).toThrow(RunInFlightError);
    cluster(app, 'c2');
    expect(app.leases.begin(newRun('r4', 'c2')).owner_kind).toBe('app');
  });

  it('a process that starts leaves a live owner’s run alone and interrupts a dead owner’s', () => {
    const cli = open(CLI);
    cluster(cli);
    cli.leases.begin(newRun('r1'));
    cli.runSteps.upsert({
      run_id: 'r1',
      step: 's1',
      seq: 0,
      phase: 'prepare-os',
      host_id: 'h1',
      state: 'applying',
      current: 0,
      max: 1,
      description: '',
      detail: '',
      updated_at: now.toISOString(),
    });
    const app = open(APP);
    expect(app.leases.sweep()).toEqual([]);
    expect(app.runs.get('r1')?.state).toBe('running');

    alive.delete(CLI.pid);
    const swept = app.leases.sweep();
    expect(swept.map((r) => [r.id, r.state])).toEqual([['r1', 'interrupted']]);
    expect(app.runs.get('r1')?.state).toBe('interrupted');
    expect(app.runSteps.listByRun('r1')[0]).toMatchObject({
      state: 'cancelled',
      detail: 'Interrupted: the nodeless CLI (pid 200) stopped during this step.',
    });
    // The cluster is free again, and the interrupted run can be taken over (Resume).
    expect(app.leases.reclaim('r1')).toMatchObject({ state: 'running', owner_instance: 'app-1' });
  });

  it('an owner that lost its run (taken over) can neither renew nor finish it', () => {
    const cli = open(CLI);
    cluster(cli);
    cli.leases.begin(newRun('r1'));
    alive.delete(CLI.pid);
    const app = open(APP);
    app.leases.sweep();
    app.leases.reclaim('r1');
    expect(cli.leases.renew(['r1'])).toEqual({ lost: ['r1'], cancel: [] });
    expect(cli.leases.release('r1', 'succeeded', '{}')).toBe(false);
    expect(app.runs.get('r1')).toMatchObject({ state: 'running', owner_instance: 'app-1' });
    expect(app.leases.release('r1', 'succeeded', '{}')).toBe(true);
    expect(app.runs.get('r1')?.state).toBe('succeeded');
  });

  it('a cancel asked by another process reaches the owner at its next heartbeat', () => {
    const cli = open(CLI);
    const app = open(APP);
    cluster(cli);
    cli.leases.begin(newRun('r1'));
    now = new Date('2030-01-01T00:00:10.000Z');
    expect(cli.leases.renew(['r1'])).toEqual({ lost: [], cancel: [] });
    expect(app.runs.get('r1')?.heartbeat_at).toBe('2030-01-01T00:00:10.000Z');
    expect(app.runs.requestCancel('r1')).toBe(true);
    expect(cli.leases.renew(['r1'])).toEqual({ lost: [], cancel: ['r1'] });
  });

  it('the database itself refuses a second running run of one cluster', () => {
    const app = open(APP);
    cluster(app);
    app.leases.begin(newRun('r1'));
    const first = app.runs.get('r1');
    if (!first) throw new Error('r1 was not inserted');
    expect(() => app.runs.insert({ ...first, id: 'r2' })).toThrow(/UNIQUE constraint failed/);
  });

  it('deleting a cluster or a host is refused while its run is in flight, allowed after', () => {
    const cli = open(CLI);
    const app = open(APP);
    cluster(app);
    const at = now.toISOString();
    app.hosts.insert({
      id: 'h1',
      cluster_id: 'c1',
      address: '10.0.0.1',
      port: 22,
      user: 'root',
      role: 'server',
      auth_kind: 'agent',
      key_path: null,
      auth_secret_id: null,
      sudo_kind: 'none',
      sudo_secret_id: null,
      created_at: at,
      updated_at: at,
    });
    cli.leases.begin(newRun('r1'));
    expect(() => app.hosts.delete('h1')).toThrow(
      /in progress: install run r1.*nodeless CLI \(pid 200\)\. The cluster and its hosts cannot be deleted while it runs\./,
    );
    expect(() => app.clusters.delete('c1')).toThrow(RunInFlightError);
    expect(app.hosts.get('h1')).toBeDefined();
    expect(cli.leases.release('r1', 'succeeded', '{}')).toBe(true);
    app.hosts.delete('h1');
    app.clusters.delete('c1');
    expect(app.clusters.get('c1')).toBeUndefined();
  });

  it('deleting a cluster deletes its admin kubeconfig secret', () => {
    const app = open(APP);
    cluster(app);
    const secretId = app.secrets.put('apiVersion: v1\nkind: Config\n');
    app.clusterInstalls.put({
      cluster_id: 'c1',
      server_url: 'https://10.0.0.1:6443',
      sandbox: 'gvisor',
      k3s_version: 'v1.36.0+k3s1',
      nodes: 1,
      members: '{"servers":[],"agents":[]}',
      kubeconfig_secret_id: secretId,
      kubeconfig_sha256: 'x',
      installed_at: now.toISOString(),
    });
    app.clusters.delete('c1');
    expect(app.db.prepare('SELECT count(*) AS n FROM secrets').get()).toEqual({ n: 0 });
  });
});
