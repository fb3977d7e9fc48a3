/**
 * `npm run testkit -- control-plane build|up|down|status`: the real Kubernetes control plane
 * (built from Go modules) on 127.0.0.1.
 *
 * - `build`: builds (or finds cached) binaries, with a progress line.
 * - `up --kubeconfig <file> [--nodes <n>] [--port <p>] [--name <name>]`: starts it in the
 *   background, writes the admin kubeconfig (0600), prints `control-plane ready: <url>` once
 *   kubectl can use it.
 * - `down [--name <name>] [--all]`: stops it; no process or port is left behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ensureControlPlane, type BuildProgress } from '../control-plane/build.ts';
import { errorFile, stateFile, type DaemonState } from '../control-plane/daemon-state.ts';
import { stopPid } from '../control-plane/processes.ts';
import { cacheRoot } from '../hosts/paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const DAEMON = path.resolve(here, '../control-plane/daemon.ts');

function int(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
    return n;
  };
}

function name(v: string): string {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(v))
    throw new Error(`--name must match [a-z][a-z0-9-]{0,30}, got "${v}"`);
  return v;
}

const stateRoot = () => path.join(cacheRoot(), 'control-planes');

/** A progress line: redrawn in place on a terminal, one line per 10 % otherwise. */
export function progressPrinter(
  out: NodeJS.WriteStream = process.stderr,
): (p: BuildProgress) => void {
  let lastDecile = -1;
  return (p) => {
    const pct = p.max > 0 ? Math.floor((100 * p.current) / p.max) : 0;
    const line = `[control-plane] ${pct}% (${p.current}/${p.max}) ${p.description}`;
    if (out.isTTY) {
      out.write(`\r${line.slice(0, (out.columns || 100) - 1).padEnd((out.columns || 100) - 1)}`);
      if (p.current >= p.max && p.max > 1) out.write('\n');
    } else if (Math.floor(pct / 10) !== lastDecile) {
      lastDecile = Math.floor(pct / 10);
      out.write(`${line}\n`);
    }
  };
}

function readState(dir: string): DaemonState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(dir), 'utf8')) as DaemonState;
  } catch {
    return undefined;
  }
}

async function down(dir: string): Promise<void> {
  const state = readState(dir);
  if (state) {
    await stopPid(state.pid, 30_000);
    // The daemon stops its components; a daemon killed hard leaves them: stop what is left.
    for (const pid of Object.values(state.components)) await stopPid(pid);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

async function up(opts: {
  kubeconfig: string;
  nodes: number;
  port: number;
  name: string;
}): Promise<void> {
  const dir = path.join(stateRoot(), opts.name);
  if (readState(dir)) {
    throw new Error(
      `control plane "${opts.name}" is already up; run \`control-plane down --name ${opts.name}\` first`,
    );
  }
  await ensureControlPlane({ onProgress: progressPrinter() });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log = fs.openSync(path.join(dir, 'daemon.log'), 'a', 0o600);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      DAEMON,
      dir,
      JSON.stringify({ nodes: opts.nodes, port: opts.port, detached: false }),
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  child.unref();
  const deadline = Date.now() + 180_000;
  for (;;) {
    const state = readState(dir);
    if (state) {
      fs.copyFileSync(state.kubeconfigPath, opts.kubeconfig);
      fs.chmodSync(opts.kubeconfig, 0o600);
      process.stdout.write(`control-plane ready: ${state.url}\n`);
      return;
    }
    if (fs.existsSync(errorFile(dir))) {
      const message = fs.readFileSync(errorFile(dir), 'utf8');
      await down(dir);
      throw new Error(`control plane failed to start: ${message}`);
    }
    if (Date.now() > deadline) {
      await down(dir);
      throw new Error('control plane did not become ready within 180 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function register(program: Command): void {
  const cp = program
    .command('control-plane')
    .description('The real Kubernetes control plane (built from Go modules) with KWOK nodes');
  cp.command('build')
    .description('Build the binaries (cached by version)')
    .action(async () => {
      const b = await ensureControlPlane({ onProgress: progressPrinter() });
      process.stdout.write(`${b.built ? 'built' : 'cached'}: ${b.binDir}\n`);
    });
  cp.command('up')
    .description('Start it on 127.0.0.1 in the background')
    .requiredOption('--kubeconfig <file>', 'where to write the admin kubeconfig (mode 0600)')
    .option('--nodes <n>', 'KWOK nodes', int('nodes'), 2)
    .option('--port <port>', 'kube-apiserver port (0 = a free one)', int('port'), 0)
    .option('--name <name>', 'name of this control plane', name, 'default')
    .action(up);
  cp.command('down')
    .description('Stop it; leaves no process or port behind')
    .option('--name <name>', 'name of the control plane', name, 'default')
    .option('--all', 'stop every control plane started by `up`')
    .action(async (opts: { name: string; all?: boolean }) => {
      const names = opts.all
        ? fs.existsSync(stateRoot())
          ? fs.readdirSync(stateRoot())
          : []
        : [opts.name];
      for (const n of names) await down(path.join(stateRoot(), n));
    });
  cp.command('status')
    .description('List running control planes')
    .action(() => {
      const names = fs.existsSync(stateRoot()) ? fs.readdirSync(stateRoot()) : [];
      for (const n of names) {
        const s = readState(path.join(stateRoot(), n));
        process.stdout.write(`${n}\t${s ? s.url : '(not running)'}\n`);
      }
    });
}
