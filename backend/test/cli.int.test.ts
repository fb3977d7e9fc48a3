/**
 * `npm run nodeless -- check|trust` against the test hosts, as a user runs it (no terminal):
 * a bad file exits 2 with field errors, unknown host keys exit non-zero naming the fingerprint
 * and the trust command, after `nodeless trust` the table prints and the exit code says
 * whether any host blocks. Trust lives in the data dir's database (0700 dir, 0600 file).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCliEngine } from '../src/cli/deps.ts';
import type { CliIo } from '../src/cli/io.ts';
import { runCli } from '../src/cli/program.ts';
import { inv, setupFleet, testHost, type OnboardingWorld } from './onboarding-fleet.ts';
import { repoRoot, tempDir } from './support.ts';

let world: OnboardingWorld;
let dir: string;
let dataDir: string;
let clusterFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run nodeless -- …` from `dir` (relative paths resolve there), stdin not a TTY. */
function nodeless(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npm',
      ['--prefix', repoRoot, 'run', '--silent', 'nodeless', '--', ...args],
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
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function clusterYaml(port = 22): string {
  const key = inv(world, 0).accounts.admin.keyPath;
  return [
    'apiVersion: nodeless.dev/v1alpha1',
    'kind: Cluster',
    'metadata: { name: obk-cli }',
    'spec:',
    '  hosts:',
    `    - ssh: { address: ${inv(world, 0).address}, port: ${port}, user: admin, keyPath: ${key} }`,
    '      role: server',
    `    - ssh: { address: ${inv(world, 1).address}, user: admin, keyPath: ${key} }`,
    '      role: agent',
    '  sandbox: auto',
    '',
  ].join('\n');
}

beforeAll(async () => {
  world = await setupFleet();
  dir = tempDir('obk-cli');
  dataDir = path.join(dir, 'state');
  clusterFile = path.join(dir, 'cluster.yaml');
  fs.writeFileSync(clusterFile, clusterYaml());
});

afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await world?.release();
});

describe('nodeless check / trust', () => {
  it('exits 2 with field-level errors for a bad cluster file', async () => {
    fs.writeFileSync(path.join(dir, 'bad.yaml'), clusterYaml(70_000));
    const run = await nodeless('check', '-f', 'bad.yaml', '--data-dir', 'state');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('spec.hosts[0].ssh.port: must be between 1 and 65535');
    expect(run.stdout).toBe('');
  });

  it('names unknown fingerprints and the trust command; after trust prints the table', async () => {
    const first = await nodeless('check', '-f', 'cluster.yaml', '--data-dir', 'state');
    expect(first.code).toBe(3);
    for (const i of [0, 1]) {
      expect(first.stderr).toContain(
        `nodeless trust -f cluster.yaml --host ${inv(world, i).address} --fingerprint ${inv(world, i).hostKeySha256}`,
      );
    }
    expect(first.stdout).toContain('needs-trust');
    // The data dir was created owner-only, the database 0600.
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'nodeless.db')).mode & 0o777).toBe(0o600);

    const wrong = await nodeless(
      'trust',
      '-f',
      'cluster.yaml',
      '--host',
      inv(world, 0).address,
      '--fingerprint',
      inv(world, 1).hostKeySha256,
      '--data-dir',
      'state',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(inv(world, 0).hostKeySha256);
    for (const i of [0, 1]) {
      const ok = await nodeless(
        'trust',
        '-f',
        'cluster.yaml',
        '--host',
        inv(world, i).address,
        '--fingerprint',
        inv(world, i).hostKeySha256,
        '--data-dir',
        'state',
      );
      expect(ok.stderr).toContain(`Trusted ${inv(world, i).hostKeySha256}`);
      expect(ok.code).toBe(0);
    }

    const second = await nodeless('check', '-f', 'cluster.yaml', '--data-dir', 'state');
    expect(second.stderr).toMatch(/preflight/);
    expect(second.stdout).toMatch(/│ host\s+│ role\s+│ status\s+│ sandbox/);
    expect(second.stdout).toContain('gvisor-only');
    expect(second.stdout).toMatch(/Serverless capacity: \d/);
    expect(second.stdout).toContain('Result: ready to install.');
    expect(second.code).toBe(0);

    const json = await nodeless('check', '-f', 'cluster.yaml', '--data-dir', 'state', '--json');
    const report = JSON.parse(json.stdout) as { blocking: boolean; hosts: { status: string }[] };
    expect(report.blocking).toBe(false);
    expect(report.hosts.map((h) => h.status).every((s) => s === 'ok' || s === 'warn')).toBe(true);
  });

  it('exits 1 and prints the blocking verdict with its remedy when 6443 is taken', async () => {
    const h = testHost(world, 0);
    await h.occupyPort(6443);
    try {
      const run = await nodeless('check', '-f', 'cluster.yaml', '--data-dir', 'state');
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/BLOCK\s+\S+ port-6443: port 6443\/tcp/);
      expect(run.stdout).toContain('→ Stop');
      expect(run.stdout).toContain('NOT READY');
    } finally {
      await h.releasePort(6443);
    }
  });

  it('on a terminal asks "Trust SHA256:… for host X? [y/N]" and checks again after yes', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      // Answer each question as it is asked, like a person would.
      if (c.toString('utf8').includes('? [y/N] ')) stdin.write('y\n');
    });
    const io: CliIo = {
      stdin,
      stdout,
      stderr,
      interactive: true,
      stderrIsTty: true,
      env: { USER: 'tester' },
      homeDir: world.home,
      cwd: dir,
      defaultDataDir: path.join(dir, 'tty-state'),
      now: Date.now,
    };
    const code = await runCli(['check', '-f', 'cluster.yaml'], io, nodeCliEngine(io));
    for (const i of [0, 1]) {
      expect(err).toContain(
        `Trust ${inv(world, i).hostKeySha256} for host ${inv(world, i).address}? [y/N] `,
      );
      expect(err).toContain(`Trusted ${inv(world, i).hostKeySha256}`);
    }
    // Progress redraws its lines in place on a terminal.
    expect(err).toContain(`${String.fromCharCode(27)}[2A`);
    expect(out).toContain('Result: ready to install.');
    expect(code).toBe(0);
  });
});
