/**
 * One test host's machinery: its disk (a sparse ext4 image, so "disk full" is real but
 * bounded), its root (overlayfs: cached base below, the disk above), its identity, and its
 * systemd-nspawn process (detached, pidfile, survives the CLI).
 *
 * @see https://manpages.debian.org/bookworm/systemd-container/systemd-nspawn.1.en.html (--capability)
 * @see https://docs.kernel.org/filesystems/overlayfs.html
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { CommandRunner, CommandResult, RunOptions } from './run.ts';

/** Paths inside one host's directory. */
export class MachinePaths {
  constructor(readonly dir: string) {}
  get diskImage(): string {
    return path.join(this.dir, 'disk.img');
  }
  /** Mount point of the disk image (overlay upper and work dirs live on it). */
  get disk(): string {
    return path.join(this.dir, 'disk');
  }
  /** The merged root the container boots from. */
  get root(): string {
    return path.join(this.dir, 'root');
  }
  get pidFile(): string {
    return path.join(this.dir, 'nspawn.pid');
  }
  get logFile(): string {
    return path.join(this.dir, 'nspawn.log');
  }
}

async function isMountpoint(run: CommandRunner, p: string): Promise<boolean> {
  return (await run('mountpoint', ['-q', p], { check: false })).code === 0;
}

/** Creates (once) and mounts the host's disk and overlay root. Idempotent. */
export async function mountRoot(
  run: CommandRunner,
  m: MachinePaths,
  baseRootfs: string,
  diskMiB: number,
): Promise<void> {
  await fs.mkdir(m.disk, { recursive: true });
  await fs.mkdir(m.root, { recursive: true });
  const fresh = !(await fs.access(m.diskImage).then(
    () => true,
    () => false,
  ));
  if (fresh) {
    // Sparse: costs only what the host writes.
    await run('truncate', ['-s', `${diskMiB}M`, m.diskImage]);
    await run('mkfs.ext4', ['-q', '-F', '-m', '0', m.diskImage]);
  }
  if (!(await isMountpoint(run, m.disk))) await run('mount', ['-o', 'loop', m.diskImage, m.disk]);
  await fs.mkdir(path.join(m.disk, 'upper'), { recursive: true });
  await fs.mkdir(path.join(m.disk, 'work'), { recursive: true });
  if (!(await isMountpoint(run, m.root))) {
    await run('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${baseRootfs},upperdir=${path.join(m.disk, 'upper')},workdir=${path.join(m.disk, 'work')}`,
      m.root,
    ]);
  }
}

/** Unmounts root and disk (the loop device is auto-cleared with the mount). */
export async function unmountRoot(run: CommandRunner, m: MachinePaths): Promise<void> {
  for (const p of [m.root, m.disk]) {
    if (await isMountpoint(run, p)) {
      const r = await run('umount', [p], { check: false });
      if (r.code !== 0) await run('umount', ['-l', p]);
    }
  }
}

/** Login accounts and their home directories inside the host. */
export const ACCOUNTS = { root: '/root', admin: '/home/admin', ops: '/home/ops' } as const;
export type AccountName = keyof typeof ACCOUNTS;

/** Identity of a new host: hostname, machine-id, its own host key, authorized keys, ops password. */
export async function writeIdentity(
  run: CommandRunner,
  root: string,
  name: string,
  publicKeys: Readonly<Record<AccountName, string>>,
  opsPassword: string,
): Promise<void> {
  await fs.writeFile(path.join(root, 'etc/hostname'), `${name}\n`);
  await fs.writeFile(
    path.join(root, 'etc/hosts'),
    `127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n::1\tlocalhost ip6-localhost ip6-loopback\n`,
  );
  await fs.writeFile(path.join(root, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`, {
    mode: 0o444,
  });
  await generateHostKey(run, root, name);
  for (const [account, home] of Object.entries(ACCOUNTS) as Array<[AccountName, string]>) {
    const sshDir = path.join(root, home, '.ssh');
    await fs.mkdir(sshDir, { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(sshDir, 'authorized_keys'), publicKeys[account], { mode: 0o600 });
    await run('chroot', [root, 'chown', '-R', `${account}:${account}`, path.join(home, '.ssh')]);
  }
  await setPassword(run, root, 'ops', opsPassword);
}

/** Replaces the host's ed25519 host key (the only one sshd offers). */
export async function generateHostKey(
  run: CommandRunner,
  root: string,
  name: string,
): Promise<void> {
  const key = path.join(root, 'etc/ssh/ssh_host_ed25519_key');
  await fs.rm(key, { force: true });
  await fs.rm(`${key}.pub`, { force: true });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${name}`, '-f', key]);
}

/** Sets a password through chpasswd on stdin (never argv). */
export async function setPassword(
  run: CommandRunner,
  root: string,
  user: string,
  password: string,
): Promise<void> {
  await run('chpasswd', ['-R', root], { input: `${user}:${password}\n` });
}

/** Reads `ssh-ed25519 AAAA…` and its `SHA256:…` fingerprint from the host's root. */
export async function readHostKey(
  run: CommandRunner,
  root: string,
): Promise<{ publicKey: string; sha256: string }> {
  const pub = path.join(root, 'etc/ssh/ssh_host_ed25519_key.pub');
  const text = (await fs.readFile(pub, 'utf8')).trim().split(/\s+/);
  const fp = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub]);
  const sha256 = fp.stdout.split(/\s+/)[1] ?? '';
  return { publicKey: `${text[0]} ${text[1]}`, sha256 };
}

/** Starts systemd-nspawn detached in its own session; returns its pid (also in the pidfile). */
export async function startContainer(
  m: MachinePaths,
  name: string,
  netns: string,
): Promise<number> {
  const log = openSync(m.logFile, 'a');
  try {
    const child = spawn(
      'systemd-nspawn',
      [
        `--directory=${m.root}`,
        `--machine=${name}`,
        '--boot',
        // No system bus on these machines: no machined registration, no scope unit.
        '--register=no',
        '--keep-unit',
        `--network-namespace-path=/run/netns/${netns}`,
        // What root on a real machine has over its own network: bridges, veths, VXLAN,
        // netns and iptables (flannel, CNI and kube-proxy need it; reset must undo it).
        // nspawn drops CAP_NET_ADMIN unless asked; the host's namespace stays out of reach.
        '--capability=CAP_NET_ADMIN',
        '--console=read-only',
        '--resolv-conf=off',
        '--timezone=off',
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start systemd-nspawn for ${name}`);
    child.unref();
    await fs.writeFile(m.pidFile, `${pid}\n`);
    return pid;
  } finally {
    closeSync(log);
  }
}

/** The nspawn pid when that process is alive and still ours (by its command line). */
export async function nspawnPid(m: MachinePaths): Promise<number | undefined> {
  const pid = Number((await fs.readFile(m.pidFile, 'utf8').catch(() => '')).trim());
  if (!pid) return undefined;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.startsWith('systemd-nspawn') && cmdline.includes(m.root) ? pid : undefined;
}

/** PID (in the machine's namespace) of the container's systemd, the child of nspawn. */
export async function containerInitPid(m: MachinePaths): Promise<number | undefined> {
  const pid = await nspawnPid(m);
  if (pid === undefined) return undefined;
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  for (const t of tasks) {
    const children = await fs.readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '');
    for (const c of children.trim().split(/\s+/).filter(Boolean)) {
      const comm = (await fs.readFile(`/proc/${c}/comm`, 'utf8').catch(() => '')).trim();
      if (comm === 'systemd' || comm === 'init') return Number(c);
    }
  }
  return undefined;
}

/**
 * Runs a command inside the host through nsenter into its systemd's namespaces (no SSH,
 * no machinectl: there is no system bus). `command` as a string runs under `/bin/sh -c`.
 */
export async function execIn(
  run: CommandRunner,
  m: MachinePaths,
  command: string | readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const init = await containerInitPid(m);
  if (init === undefined) throw new Error(`host at ${m.dir} is not running`);
  const argv = typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
  return run(
    'nsenter',
    ['-t', String(init), '-a', '-r', '-w', '--', '/usr/bin/env', '-i', ...CONTAINER_ENV, ...argv],
    options,
  );
}

const CONTAINER_ENV = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'HOME=/root',
  'LANG=C.UTF-8',
];

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Stops the container: gracefully (SIGTERM to nspawn = systemd poweroff) unless `hard`,
 * where its systemd is SIGKILLed — the kernel then kills the whole PID namespace, like
 * pulling the plug.
 */
export async function stopContainer(
  m: MachinePaths,
  hard: boolean,
  graceMs = 15_000,
): Promise<void> {
  const pid = await nspawnPid(m);
  if (pid === undefined) return;
  if (!hard) {
    process.kill(pid, 'SIGTERM');
    if (await waitGone(pid, graceMs)) return;
  }
  const init = await containerInitPid(m);
  if (init !== undefined) process.kill(init, 'SIGKILL');
  if (!(await waitGone(pid, 10_000))) {
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 5_000);
  }
}
