/**
 * Helpers shared by the hosts and bundle integration tests: the real ssh(1) client with
 * strict host key checking, the testkit CLI as a child process, and bounded polling.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sshOptions, type HostInventory } from '../src/hosts/index.ts';
import { runCommand, type CommandResult } from '../src/hosts/run.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs `npm run testkit -- <args>` (as tsx main.ts; `NODELESS_TESTKIT_CLI` may name another
 * entry file) and returns its output.
 */
export function testkitCli(args: readonly string[], input = ''): Promise<CommandResult> {
  const entry =
    process.env['NODELESS_TESTKIT_CLI'] ?? path.join(repoRoot, 'testkit/src/cli/main.ts');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `ssh user@host command` with the given key and known_hosts, strict, non-interactive. */
export function ssh(
  host: HostInventory,
  user: 'root' | 'admin' | 'ops',
  knownHosts: string,
  command: string,
  options: { input?: string; extra?: string[]; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return runCommand(
    'ssh',
    [
      ...sshOptions(knownHosts, host.accounts[user].keyPath),
      // A cut link fails the command within seconds instead of hanging the test.
      '-o',
      'ServerAliveInterval=2',
      '-o',
      'ServerAliveCountMax=2',
      ...(options.extra ?? []),
      `${user}@${host.address}`,
      command,
    ],
    { check: false, input: options.input, timeoutMs: options.timeoutMs ?? 30_000 },
  );
}

/** The server's host key fingerprints as seen on the wire (ssh-keyscan + ssh-keygen -l). */
export async function scanFingerprint(address: string): Promise<{ sha256: string; line: string }> {
  const scan = await runCommand('ssh-keyscan', ['-T', '5', '-t', 'ed25519', address], {
    check: false,
  });
  const line = scan.stdout.split('\n').find((l) => l.startsWith(address)) ?? '';
  const fp = await runCommand('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], {
    input: line + '\n',
    check: false,
  });
  return { sha256: fp.stdout.split(/\s+/)[1] ?? '', line };
}

/** Polls `cond` every 250 ms until true or `timeoutMs` passes; returns whether it held. */
export async function eventually(
  cond: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}
