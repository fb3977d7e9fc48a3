/**
 * The base root file system every test host starts from: Debian 12 (bookworm) built once
 * with debootstrap and cached under a hash of its recipe, so a changed recipe rebuilds and
 * an unchanged one costs nothing.
 *
 * @see https://manpages.debian.org/bookworm/debootstrap/debootstrap.8.en.html
 * @see https://manpages.debian.org/bookworm/systemd-container/systemd-nspawn.1.en.html
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { locksDir, rootfsDir } from './paths.ts';
import { withLock } from './lock.ts';
import type { CommandRunner, Log } from './run.ts';

/**
 * Packages on top of `minbase`: what a real server has that onboarding touches (systemd,
 * sshd, sudo, iproute2, apt/dpkg, kmod, tar/xz/zstd for the bundle), `iptables` (a real
 * server has it, k3s's kube-proxy and flannel write their chains with it, and
 * `k3s-killall.sh` removes them with `iptables-save | … | iptables-restore`), plus Debian's
 * `nodejs`, which runs the stand-in k3s.
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — create_killall (iptables-save/restore)
 */
export const BASE_PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'sudo',
  'iproute2',
  'iptables',
  'iputils-ping',
  'procps',
  'kmod',
  'util-linux',
  'e2fsprogs',
  'ca-certificates',
  'xz-utils',
  'zstd',
  'nodejs',
] as const;

/** Bump when {@link customizeBase} changes, so cached root file systems are rebuilt. */
const RECIPE_VERSION = 4;
const SUITE = 'bookworm';

/** sshd policy: keys for everyone, passwords only for `ops`, root never by password. */
export const SSHD_DROPIN = `# nodeless testkit: one ed25519 host key, passwords only for ops (see Match at the end of sshd_config)
HostKey /etc/ssh/ssh_host_ed25519_key
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UseDNS no
`;
const SSHD_MATCH = `
# nodeless testkit: ops may log in with its password (root and admin may not)
Match User ops
    PasswordAuthentication yes
`;

/** Host tools the fleet needs, as (command, Debian package). */
const HOST_TOOLS: ReadonlyArray<readonly [string, string]> = [
  ['systemd-nspawn', 'systemd-container'],
  ['debootstrap', 'debootstrap'],
  ['ip', 'iproute2'],
  ['ssh', 'openssh-client'],
  ['ssh-keygen', 'openssh-client'],
  ['ssh-keyscan', 'openssh-client'],
  ['iptables', 'iptables'],
  ['mkfs.ext4', 'e2fsprogs'],
  ['nsenter', 'util-linux'],
];

/** Installs missing host tools with apt (the only network the box has besides npm). */
export async function ensureHostTools(run: CommandRunner, log: Log): Promise<void> {
  const missing = new Set<string>();
  for (const [cmd, pkg] of HOST_TOOLS) {
    const r = await run('sh', ['-c', `command -v ${cmd}`], { check: false });
    if (r.code !== 0) missing.add(pkg);
  }
  if (missing.size === 0) return;
  log(`installing host packages: ${[...missing].join(' ')}`);
  await run(
    'apt-get',
    ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...missing],
    { env: { DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 900_000 },
  );
}

/** The Debian mirror this machine's apt already uses (deb822 or one-line sources). */
export async function debianMirror(
  readFile: (p: string) => Promise<string> = (p) => fs.readFile(p, 'utf8'),
): Promise<string> {
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const file of candidates) {
    const text = await readFile(file).catch(() => '');
    const deb822 = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text);
    if (deb822?.[1]) return deb822[1];
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+bookworm\b/m.exec(text);
    if (oneLine?.[1]) return oneLine[1];
  }
  return 'http://deb.debian.org/debian';
}

/** Hash of everything that determines the base root file system. */
export function recipeHash(mirror: string): string {
  const recipe = JSON.stringify({
    RECIPE_VERSION,
    SUITE,
    mirror,
    BASE_PACKAGES,
    SSHD_DROPIN,
    SSHD_MATCH,
  });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16);
}

/**
 * Returns the cached base root file system, building it first when missing (≈ 1 min).
 * Concurrent callers wait on a lock instead of building twice.
 */
export async function ensureBaseRootfs(
  cache: string,
  run: CommandRunner,
  log: Log,
): Promise<string> {
  const mirror = await debianMirror();
  const hash = recipeHash(mirror);
  const dir = rootfsDir(cache, hash);
  const done = path.join(dir, '.nodeless-complete');
  if (await exists(done)) return dir;
  return withLock(path.join(locksDir(cache), `rootfs-${hash}.lock`), async () => {
    if (await exists(done)) return dir;
    const tmp = `${dir}.building`;
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.mkdir(path.dirname(dir), { recursive: true });
    log(`building base rootfs ${hash} with debootstrap from ${mirror} (about a minute)`);
    await run(
      'debootstrap',
      ['--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, SUITE, tmp, mirror],
      { timeoutMs: 900_000 },
    );
    await customizeBase(tmp, run);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
    await fs.writeFile(done, new Date().toISOString() + '\n');
    return dir;
  });
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/**
 * Machine-independent setup of the base: accounts, sudo policy, sshd policy; identity
 * (hostname, machine-id, host keys) is removed here and made per host.
 */
async function customizeBase(root: string, run: CommandRunner): Promise<void> {
  const chroot = (...args: string[]) => run('chroot', [root, ...args]);
  await chroot('useradd', '--create-home', '--shell', '/bin/bash', 'admin');
  await chroot('useradd', '--create-home', '--shell', '/bin/bash', '--groups', 'sudo', 'ops');
  await fs.writeFile(
    path.join(root, 'etc/sudoers.d/admin'),
    'admin ALL=(ALL:ALL) NOPASSWD: ALL\n',
    { mode: 0o440 },
  );
  await fs.writeFile(
    path.join(root, 'etc/ssh/sshd_config.d/10-nodeless-testkit.conf'),
    SSHD_DROPIN,
  );
  await fs.appendFile(path.join(root, 'etc/ssh/sshd_config'), SSHD_MATCH);
  for (const f of await fs.readdir(path.join(root, 'etc/ssh'))) {
    if (f.startsWith('ssh_host_')) await fs.rm(path.join(root, 'etc/ssh', f));
  }
  // Empty machine-id: each host gets its own before first boot.
  await fs.writeFile(path.join(root, 'etc/machine-id'), '');
  await fs.rm(path.join(root, 'var/lib/dbus/machine-id'), { force: true });
  await fs.writeFile(path.join(root, 'etc/hostname'), 'localhost\n');
  // Containers have no swap of their own; keep fstab empty so nothing tries to mount any.
  await fs.writeFile(
    path.join(root, 'etc/fstab'),
    '# nodeless testkit host: root is an overlay, no swap\n',
  );
  await run('sh', ['-c', `rm -rf '${root}'/var/cache/apt/archives/*.deb`]);
}
