/**
 * Issue 16, item 7: one data directory used by the app and the CLI at once, as real
 * processes against a real test host and the stand-in bundle. A `nodeless apply` installs; a
 * second `apply` of the same cluster from another process is refused at once naming the
 * running one (run id, the CLI, its pid); `serve` starting on the same data dir meanwhile
 * does not mark the CLI's run interrupted, refuses to delete the cluster (409, saying why),
 * and once the CLI finishes sees its run succeeded. Deleting the cluster then removes its
 * secrets, the admin kubeconfig included; nothing printed, logged or stored carries the join
 * token.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/backend.ts';
import { inv, setupWorld, type BootstrapWorld } from './bootstrap-fleet.ts';
import {
  backendRoot,
  client,
  fakeRendererDir,
  mutate,
  repoRoot,
  spawnServe,
  tempDir,
  type ServeProcess,
} from './support.ts';

const TSX_LOADER = pathToFileURL(
  path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs'),
).href;

let world: BootstrapWorld;
let dir: string;
let stateDir: string;
let rendererDir: string;
let serve: ServeProcess | undefined;

interface Cli {
  pid: number;
  stderr: () => string;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `nodeless …` as its own process (the CLI entry, no terminal), from `dir`. */
function nodeless(...args: string[]): Cli {
  const child = spawn(
    process.execPath,
    // tsx by path: the CLI runs from `dir`, where a bare `tsx` would not resolve. Not tsx's
    // CLI either: the pid must be the CLI process itself (the run's owner).
    ['--import', TSX_LOADER, path.join(backendRoot, 'src', 'cli', 'main.ts'), ...args],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: world.home, USER: 'tester' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  if (child.pid === undefined) throw new Error('nodeless did not start');
  return { pid: child.pid, stderr: () => stderr, exited };
}

interface RunRowLite {
  id: string;
  state: string;
  owner_kind: string | null;
  owner_pid: number | null;
}

function runs(): RunRowLite[] {
  const file = path.join(stateDir, DATABASE_FILE);
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const exists = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'")
      .pluck()
      .get();
    if (exists !== 1) return [];
    return db.prepare<[], RunRowLite>('SELECT id, state, owner_kind, owner_pid FROM runs').all();
  } finally {
    db.close();
  }
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  world = await setupWorld('bpr', 1);
  dir = tempDir('bpr-cli');
  stateDir = path.join(dir, 'state');
  rendererDir = fakeRendererDir();
  fs.mkdirSync(path.join(world.home, '.ssh'), { recursive: true });
  fs.copyFileSync(world.fleet.knownHostsPath, path.join(world.home, '.ssh', 'known_hosts'));
  fs.writeFileSync(
    path.join(dir, 'cluster.yaml'),
    `apiVersion: nodeless.dev/v1alpha1
kind: Cluster
metadata:
  name: bpr-lab
spec:
  hosts:
    - ssh:
        address: ${inv(world, 0).address}
        user: admin
        keyPath: ${inv(world, 0).accounts.admin.keyPath}
        useAgent: false
      role: server
      sudo: passwordless
  sandbox: gvisor
  artifacts:
    mode: airgap
    bundlePath: ${world.bundleDir}
`,
  );
});

afterAll(async () => {
  if (serve) {
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
  for (const d of [dir, rendererDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  await world?.release();
});

describe('the app and the CLI on one data dir', () => {
  it('a CLI install survives serve starting, and a second apply is refused naming it', async () => {
    const first = nodeless('apply', '-f', 'cluster.yaml', '--data-dir', 'state');
    const running = await until(
      'the CLI run to start',
      () => runs().find((r) => r.state === 'running'),
      180_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; CLI stderr: ${first.stderr()}`);
    });
    expect(running).toMatchObject({ owner_kind: 'cli', owner_pid: first.pid });

    // Another process: refused before it touches a host, naming the run and its process.
    const second = await nodeless('apply', '-f', 'cluster.yaml', '--data-dir', 'state').exited;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`install run ${running.id}`);
    expect(second.stderr).toContain(`by the nodeless CLI (pid ${String(first.pid)})`);
    expect(second.stderr).toMatch(/in progress/);

    // The app starts on the same data dir while the CLI installs.
    serve = await spawnServe({ NODELESS_DATA_DIR: stateDir, NODELESS_RENDERER_DIR: rendererDir });
    const api = client(serve);
    const cluster = (await api.inventory.list.query()).find((c) => c.name === 'bpr-lab');
    if (!cluster) throw new Error('the CLI cluster is not in the app');
    expect((await api.bootstrap.run.query({ runId: running.id })).state).toBe('running');

    const refused = await mutate(serve, 'clusters.delete', { id: cluster.id, confirm: true });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain(`install run ${running.id}`);
    expect(refused.body).toContain('cannot be deleted while it runs');

    const done = await first.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('Done:');
    const run = await api.bootstrap.run.query({ runId: running.id });
    expect(run.state).toBe('succeeded');
    const log = fs.readFileSync(path.join(stateDir, 'logs', 'backend.log'), 'utf8');
    expect(log).not.toContain('bootstrap.run_interrupted');

    // The join token never reached the CLI's output, the journal or the app's log.
    const token = (
      await world.fleet.hosts[0]?.exec(['cat', '/var/lib/rancher/k3s/server/token'])
    )?.stdout.trim();
    expect(token).toMatch(/^K10/);
    const secret = token?.split('::server:').pop() ?? '';
    const db = new Database(path.join(stateDir, DATABASE_FILE), { readonly: true });
    const journal = JSON.stringify(db.prepare('SELECT * FROM run_logs').all());
    db.close();
    const texts = { stderr: done.stderr, stdout: done.stdout, journal, log };
    // Only the names of the places that leak are printed, never the token itself.
    const leaks = Object.entries(texts).filter(([, t]) => secret !== '' && t.includes(secret));
    expect(leaks.map(([where]) => where)).toEqual([]);

    // Idle now: deleting the cluster is allowed and takes its kubeconfig secret with it.
    expect((await api.bootstrap.cluster.query({ clusterId: cluster.id })).kubeconfigStored).toBe(
      true,
    );
    await api.clusters.delete.mutate({ id: cluster.id, confirm: true });
    const after = new Database(path.join(stateDir, DATABASE_FILE), { readonly: true });
    try {
      expect(after.prepare('SELECT count(*) FROM secrets').pluck().get()).toBe(0);
    } finally {
      after.close();
    }
    // A whole k3s install over SSH by a CLI with default limits, on two shared cores.
  }, 900_000);
});
