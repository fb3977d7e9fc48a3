/**
 * SSH material and reachability of a fleet: the per-account key pairs every host trusts,
 * known_hosts with the hosts' current keys, the ssh(1) options for strict non-interactive
 * access, and waiting until a host's sshd accepts the admin key.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestHost } from './host.ts';
import type { AccountName } from './machine.ts';
import type { FleetPaths } from './paths.ts';
import type { CommandRunner } from './run.ts';
import type { FleetState } from './state.ts';

/** (Re)creates the fleet's ed25519 key pairs of root, admin and ops in its keys directory. */
export async function generateAccountKeys(run: CommandRunner, paths: FleetPaths): Promise<void> {
  await fs.mkdir(paths.keysDir, { recursive: true, mode: 0o700 });
  for (const account of ['root', 'admin', 'ops'] as const) {
    const key = path.join(paths.keysDir, account);
    await fs.rm(key, { force: true });
    await fs.rm(`${key}.pub`, { force: true });
    await run('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      `${account}@nodeless-testkit-${paths.prefix}`,
      '-f',
      key,
    ]);
  }
}

/** The public keys of the fleet's accounts, as written into every host. */
export async function publicKeys(paths: FleetPaths): Promise<Record<AccountName, string>> {
  const read = (a: AccountName) => fs.readFile(path.join(paths.keysDir, `${a}.pub`), 'utf8');
  return { root: await read('root'), admin: await read('admin'), ops: await read('ops') };
}

/** Rewrites the fleet's known_hosts from the host keys recorded in `st`. */
export async function writeKnownHosts(paths: FleetPaths, st: FleetState): Promise<void> {
  const lines = st.hosts.map((h) => `${h.address} ${h.hostPublicKey}\n`).join('');
  await fs.writeFile(paths.knownHostsFile, lines, { mode: 0o600 });
}

/** Real SSH handshake + key auth as admin, strict host key checking against known_hosts. */
export async function waitSsh(
  run: CommandRunner,
  paths: FleetPaths,
  host: TestHost,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const r = await run(
      'ssh',
      [
        ...sshOptions(paths.knownHostsFile, path.join(paths.keysDir, 'admin')),
        `admin@${host.address}`,
        'true',
      ],
      {
        check: false,
        timeoutMs: 10_000,
      },
    );
    if (r.code === 0) return;
    last = r.stderr.trim();
    await new Promise((res) => setTimeout(res, 300));
  }
  const tail = (await fs.readFile(host.machine.logFile, 'utf8').catch(() => ''))
    .split('\n')
    .slice(-15)
    .join('\n');
  throw new Error(
    `${host.name} (${host.address}) did not accept SSH within ${timeoutMs} ms: ${last}\nconsole (${host.machine.logFile}):\n${tail}`,
  );
}

/** ssh(1) options for non-interactive, strictly verified access to fleet hosts. */
export function sshOptions(knownHosts: string, keyPath: string): string[] {
  return [
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'ConnectTimeout=3',
    '-o',
    'LogLevel=ERROR',
    '-i',
    keyPath,
  ];
}
