/**
 * The bootstrap service on a data dir shared with another process (the app and the CLI):
 * starting leaves the other process's live run alone and interrupts a dead one's; a second
 * run of the cluster is refused naming the first; Cancel reaches the other process through
 * the database; a run this process lost (taken over) is stopped and not recorded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectDeps, KnownHostsEntry } from '@nodeless/host-bootstrap';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../log/logger.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { RunInFlightError, type RunOwner } from '../store/run-owner.ts';
import { openStore, type Store } from '../store/store.ts';
import { BootstrapEvents } from './events.ts';
import type { RunSpec } from './run-spec.ts';
import { BootstrapService } from './service.ts';

const box: SecretBox = {
  kind: 'aes-256-gcm-file',
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (cipher) => Buffer.from(cipher).toString('utf8'),
};
const APP: RunOwner = { kind: 'app', pid: 100, instance: 'app-1', start: 'a' };
const CLI: RunOwner = { kind: 'cli', pid: 200, instance: 'cli-1', start: 'c' };
const RESET: RunSpec = { kind: 'reset', hostIds: [] };

let dir: string;
const alive = new Set<number>();
const opened: { store: Store; service?: BootstrapService }[] = [];
let logs: { event: string; fields: LogFields | undefined }[];
/** Holds every run of the service at its first await until released. */
let gate: { promise: Promise<readonly KnownHostsEntry[]>; release: () => void };

function newGate() {
  let release: () => void = () => undefined;
  const promise = new Promise<readonly KnownHostsEntry[]>((r) => (release = () => r([])));
  return { promise, release };
}

function open(owner: RunOwner): Store {
  const store = openStore({
    file: path.join(dir, 'nodeless.db'),
    box,
    onSecret: () => undefined,
    clock: () => new Date(),
    owner,
    probe: { status: (pid) => (alive.has(pid) ? 'alive' : 'gone') },
  });
  opened.push({ store });
  return store;
}

function service(store: Store): BootstrapService {
  const logger: Logger = { log: (_level, event, fields) => logs.push({ event, fields }) };
  const s = new BootstrapService({
    store,
    events: new BootstrapEvents(),
    engine: {
      connectDeps: () => ({}) as ConnectDeps,
      userKnownHosts: () => gate.promise,
      options: {},
    },
    clock: () => new Date(),
    logger,
    redact: (t) => t,
    registerSecret: () => undefined,
    hosts: () => [],
    report: () => null,
    heartbeatMs: 0,
  });
  const entry = opened.find((o) => o.store === store);
  if (entry) entry.service = s;
  return s;
}

function cliRun(cli: Store, id = 'r1'): void {
  cli.leases.begin({ id, cluster_id: 'c1', kind: 'reset', spec: JSON.stringify(RESET) });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-svc-leases-'));
  alive.clear();
  alive.add(APP.pid).add(CLI.pid);
  logs = [];
  gate = newGate();
  const at = new Date().toISOString();
  const first = open(CLI);
  first.clusters.insert({ id: 'c1', name: 'lab', created_at: at, updated_at: at });
});

afterEach(async () => {
  gate.release();
  for (const o of opened.splice(0).reverse()) {
    await o.service?.close();
    o.store.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('BootstrapService with another process on the same data dir', () => {
  it('starting does not interrupt a live process’s run, and refuses a second run naming it', () => {
    const [cli] = opened;
    if (!cli) throw new Error('no CLI store');
    cliRun(cli.store);
    const app = service(open(APP));
    expect(app.runView('r1').state).toBe('running');
    expect(logs.map((l) => l.event)).not.toContain('bootstrap.run_interrupted');
    expect(() => app.start('c1', RESET)).toThrow(RunInFlightError);
    expect(() => app.start('c1', RESET)).toThrow(
      /reset run r1, .* by the nodeless CLI \(pid 200\)/,
    );
    expect(() => app.resume('r1')).toThrow(RunInFlightError);
  });

  it('a dead process’s run becomes interrupted at startup (or the next heartbeat) and resumable', () => {
    const [cli] = opened;
    if (!cli) throw new Error('no CLI store');
    cliRun(cli.store);
    alive.delete(CLI.pid);
    const app = service(open(APP));
    expect(app.runView('r1').state).toBe('interrupted');
    expect(logs).toContainEqual({
      event: 'bootstrap.run_interrupted',
      fields: { runId: 'r1', owner: 'the nodeless CLI (pid 200)' },
    });
    expect(app.resume('r1')).toEqual({ runId: 'r1' });
    expect(app.runView('r1').state).toBe('running');
  });

  it('Cancel of another process’s run is asked through the database', () => {
    const [cli] = opened;
    if (!cli) throw new Error('no CLI store');
    cliRun(cli.store);
    const app = service(open(APP));
    expect(app.cancel('r1')).toEqual({ runId: 'r1' });
    expect(cli.store.leases.renew(['r1'])).toEqual({ lost: [], cancel: ['r1'] });
  });

  it('a run this process lost is stopped at its heartbeat and its end is not recorded', async () => {
    const app = open(APP);
    const svc = service(app);
    const { runId } = svc.start('c1', RESET);
    // The app looks dead to the CLI (another pid namespace, say); the CLI takes the run over.
    alive.delete(APP.pid);
    const [cli] = opened;
    if (!cli) throw new Error('no CLI store');
    expect(cli.store.leases.sweep().map((r) => r.id)).toEqual([runId]);
    cli.store.leases.reclaim(runId);
    svc.heartbeat();
    gate.release();
    await svc.settled(runId);
    expect(logs.map((l) => l.event)).toContain('bootstrap.run_lost');
    expect(app.runs.get(runId)).toMatchObject({ state: 'running', owner_instance: 'cli-1' });
  });

  it('closing interrupts only this process’s runs', async () => {
    const [cli] = opened;
    if (!cli) throw new Error('no CLI store');
    cliRun(cli.store);
    cli.store.clusters.insert({ id: 'c2', name: 'other', created_at: 'x', updated_at: 'x' });
    const app = open(APP);
    const svc = service(app);
    const { runId } = svc.start('c2', RESET);
    await svc.close();
    expect(app.runs.get(runId)?.state).toBe('interrupted');
    expect(app.runs.get('r1')?.state).toBe('running');
  });
});
