/**
 * Test hosts end to end, observed from outside like the product sees them: the CLI's
 * inventory, real ssh(1) with strict host keys, each fault injected, observed and reverted,
 * and `hosts down` leaving nothing behind.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadFleet,
  type Fleet,
  type FleetInventory,
  type HostInventory,
  type TestHost,
} from '../src/hosts/index.ts';
import { cacheRoot } from '../src/hosts/paths.ts';
import { runCommand } from '../src/hosts/run.ts';
import { eventually, scanFingerprint, ssh, testkitCli } from './hosts-helpers.ts';

const PREFIX = 'tkt';
let inventory: FleetInventory;
let fleet: Fleet;
let knownHosts: string;
let tmp: string;

/** Host `i` of the fleet (API handle) and of the inventory. */
function th(i: number): TestHost {
  const h = fleet.hosts[i];
  if (!h) throw new Error(`fleet has no host #${i}`);
  return h;
}
function invAt(i: number): HostInventory {
  const h = inventory.hosts[i];
  if (!h) throw new Error(`inventory has no host #${i}`);
  return h;
}

const sshOk = async (h: HostInventory, user: 'admin' | 'ops' | 'root' = 'admin') =>
  (await ssh(h, user, knownHosts, 'true', { timeoutMs: 10_000 })).code === 0;

async function tcpConnects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port, timeout: 2000 });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function up(): Promise<{ inv: FleetInventory; seconds: number }> {
  const started = Date.now();
  const r = await testkitCli(['hosts', 'up', '3', '--name', PREFIX]);
  expect(r.code, r.stderr).toBe(0);
  // stdout is the inventory and nothing else.
  return { inv: JSON.parse(r.stdout) as FleetInventory, seconds: (Date.now() - started) / 1000 };
}

async function leftovers(subnetIndex: number, fleetDir: string): Promise<string[]> {
  const found: string[] = [];
  const netns = await runCommand('ip', ['netns', 'list']);
  for (const l of netns.stdout.split('\n'))
    if (l.startsWith(`nlk-${PREFIX}`)) found.push(`netns ${l}`);
  const links = await runCommand('ip', ['-o', 'link', 'show']);
  for (const l of links.stdout.split('\n'))
    if (l.includes(` nlk${subnetIndex}@`) || l.includes(` nlk${subnetIndex}:`))
      found.push(`link ${l}`);
  const routes = await runCommand('ip', ['route', 'show']);
  if (routes.stdout.includes(`10.213.${subnetIndex}.0/24`)) found.push('route');
  const mounts = await fs.readFile('/proc/mounts', 'utf8');
  for (const l of mounts.split('\n')) if (l.includes(fleetDir)) found.push(`mount ${l}`);
  for (const pid of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.startsWith('systemd-nspawn') && cmd.includes(fleetDir)) found.push(`process ${pid}`);
  }
  if (
    await fs.access(fleetDir).then(
      () => true,
      () => false,
    )
  )
    found.push(`dir ${fleetDir}`);
  return found;
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'hosts-test-'));
  knownHosts = path.join(tmp, 'known_hosts');
  const cold = !(
    await fs.readdir(path.join(cacheRoot(), 'rootfs')).catch(() => [] as string[])
  ).some((d) => !d.endsWith('.building'));
  const { inv, seconds } = await up();
  console.log(
    `[timing] hosts up 3 (${cold ? 'cold: rootfs built' : 'rootfs cached'}): ${seconds.toFixed(1)} s`,
  );
  inventory = inv;
  const loaded = await loadFleet({ prefix: PREFIX });
  if (!loaded) throw new Error('fleet state missing after up');
  fleet = loaded;
  // Trust on first use, checked against the inventory: the known_hosts we write holds what
  // the server presents on the wire only if it matches the advertised fingerprint.
  const lines: string[] = [];
  for (const h of inventory.hosts) {
    const scan = await scanFingerprint(h.address);
    expect(scan.sha256).toBe(h.hostKeySha256);
    lines.push(scan.line);
  }
  await fs.writeFile(knownHosts, lines.join('\n') + '\n');
});

afterAll(async () => {
  await testkitCli(['hosts', 'down', '--name', PREFIX]);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('hosts up', () => {
  it('prints an inventory of 3 distinct hosts with three accounts each', () => {
    expect(inventory.hosts).toHaveLength(3);
    expect(new Set(inventory.hosts.map((h) => h.address)).size).toBe(3);
    expect(new Set(inventory.hosts.map((h) => h.hostKeySha256)).size).toBe(3);
    for (const h of inventory.hosts) {
      expect(h.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(h.port).toBe(22);
      expect(Object.keys(h.accounts).sort()).toEqual(['admin', 'ops', 'root']);
      expect(h.accounts.ops.sudoPassword.length).toBeGreaterThanOrEqual(12);
    }
  });

  it('admin has passwordless sudo on every host, with its own identity', async () => {
    const ids = new Set<string>();
    for (const h of inventory.hosts) {
      const r = await ssh(
        h,
        'admin',
        knownHosts,
        'sudo -n true && hostname && cat /etc/machine-id && systemctl is-system-running; ps -p 1 -o comm=; cat /proc/swaps | wc -l',
      );
      expect(r.code, r.stderr).toBe(0);
      const [hostname, machineId, systemState, pid1, swapLines] = r.stdout.trim().split('\n');
      expect(hostname).toBe(h.name);
      ids.add(machineId ?? '');
      expect(['running', 'degraded']).toContain(systemState);
      expect(pid1).toBe('systemd');
      expect(swapLines).toBe('1');
    }
    expect(ids.size).toBe(3);
  });

  it('root may manage its own network like root on a real machine: bridge, netns, VXLAN, iptables', async () => {
    // What flannel, the CNI plugins and kube-proxy do on a k3s node (and reset undoes).
    const script = [
      'set -e',
      'ip link add cni0 type bridge',
      'ip netns add cni-x',
      'ip link add vethx type veth peer name eth0x',
      'ip link set eth0x netns cni-x',
      'ip link set vethx master cni0',
      'ip link add flannel.1 type vxlan id 1 dstport 8472 nolearning',
      'iptables -N KUBE-TEST',
      'iptables -t nat -N CNI-TEST',
      'iptables-save | grep -c -E "^:(KUBE|CNI)-TEST"',
      'ip link show master cni0 | grep -c vethx',
      // Undo, as k3s-killall.sh would.
      'ip netns delete cni-x',
      'ip link delete cni0',
      'ip link delete flannel.1',
      'iptables -X KUBE-TEST',
      'iptables -t nat -X CNI-TEST',
    ].join('\n');
    const r = await ssh(invAt(0), 'root', knownHosts, script);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['2', '1']);
    expect((await ssh(invAt(0), 'root', knownHosts, 'ip link show cni0')).code).not.toBe(0);
  });

  it('ops needs its password for sudo; root refuses password authentication', async () => {
    const h = invAt(0);
    const noPw = await ssh(h, 'ops', knownHosts, 'sudo -n true');
    expect(noPw.code).not.toBe(0);
    expect(noPw.stderr).toMatch(/password is required/);
    const withPw = await ssh(h, 'ops', knownHosts, "sudo -S -p '' true", {
      input: `${h.accounts.ops.sudoPassword}\n`,
    });
    expect(withPw.code, withPw.stderr).toBe(0);
    const rootPw = await ssh(h, 'root', knownHosts, 'true', {
      extra: ['-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no'],
    });
    expect(rootPw.code).not.toBe(0);
    expect(rootPw.stderr).toMatch(/Permission denied \(publickey\)/);
    const opsPw = await ssh(h, 'ops', knownHosts, 'true', {
      extra: ['-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no'],
    });
    expect(opsPw.stderr).toMatch(/Permission denied \(publickey,password\)/);
    expect(await sshOk(h, 'root')).toBe(true);
  });

  it('is idempotent: a second up keeps the running hosts', async () => {
    const pids = await Promise.all(fleet.hosts.map((h) => fs.readFile(h.machine.pidFile, 'utf8')));
    const { inv, seconds } = await up();
    console.log(`[timing] hosts up 3 (already running): ${seconds.toFixed(1)} s`);
    expect(inv.hosts.map((h) => h.hostKeySha256)).toEqual(
      inventory.hosts.map((h) => h.hostKeySha256),
    );
    expect(
      await Promise.all(fleet.hosts.map((h) => fs.readFile(h.machine.pidFile, 'utf8'))),
    ).toEqual(pids);
  });
});

describe('faults', () => {
  it('cutNetwork: SSH times out; restoreNetwork: SSH works again', async () => {
    const [h, inv] = [th(0), invAt(0)];
    await h.cutNetwork();
    expect(await sshOk(inv)).toBe(false);
    expect(await sshOk(invAt(1))).toBe(true);
    await h.restoreNetwork();
    expect(await eventually(() => sshOk(inv), 20_000)).toBe(true);
  });

  it('dropPackets: SSH fails during the window and recovers by itself', async () => {
    const [h, inv] = [th(0), invAt(0)];
    await h.dropPackets(6);
    expect(await tcpConnects(inv.address, 22)).toBe(false);
    expect(await eventually(() => sshOk(inv), 30_000)).toBe(true);
  });

  it('powerOff: the host is gone; boot: it comes back with the same identity', async () => {
    const [h, inv] = [th(1), invAt(1)];
    const before = await ssh(inv, 'admin', knownHosts, 'cat /etc/machine-id');
    await h.powerOff();
    expect(await h.isRunning()).toBe(false);
    expect(await tcpConnects(inv.address, 22)).toBe(false);
    await h.boot();
    const after = await ssh(inv, 'admin', knownHosts, 'cat /etc/machine-id');
    expect(after.stdout).toBe(before.stdout);
  });

  it('restartSshd: a new sshd serves', async () => {
    const inv = invAt(2);
    const pid = async () =>
      (await ssh(inv, 'admin', knownHosts, 'systemctl show -p MainPID --value ssh')).stdout.trim();
    const before = await pid();
    await th(2).restartSshd();
    expect(
      await eventually(async () => (await pid()) !== before && (await pid()) !== '', 10_000),
    ).toBe(true);
  });

  it('regenerateHostKey: a changed key is refused; restoreHostKey brings the old one back', async () => {
    const [h, inv] = [th(2), invAt(2)];
    const fresh = await h.regenerateHostKey();
    expect(fresh).not.toBe(inv.hostKeySha256);
    expect((await scanFingerprint(inv.address)).sha256).toBe(fresh);
    const r = await ssh(inv, 'admin', knownHosts, 'true');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(await h.restoreHostKey()).toBe(inv.hostKeySha256);
    expect(await eventually(() => sshOk(inv), 10_000)).toBe(true);
  });

  it('fillDisk: /var/lib is full to the level; freeDisk: space is back', async () => {
    const [h, inv] = [th(2), invAt(2)];
    const used = async () =>
      Number(
        (await ssh(inv, 'admin', knownHosts, 'df --output=pcent /var/lib | tail -1')).stdout
          .trim()
          .replace('%', ''),
      );
    await h.fillDisk(97);
    expect(await used()).toBeGreaterThanOrEqual(97);
    const write = await ssh(
      inv,
      'admin',
      knownHosts,
      'sudo -n dd if=/dev/zero of=/var/lib/big bs=1M count=512 2>&1; sudo -n rm -f /var/lib/big',
    );
    expect(write.stdout).toMatch(/No space left on device/);
    await h.freeDisk();
    expect(await used()).toBeLessThan(50);
  });

  it('holdDpkgLock: dpkg cannot take its lock; releaseDpkgLock: it can', async () => {
    const [h, inv] = [th(0), invAt(0)];
    await h.holdDpkgLock();
    const locked = await ssh(inv, 'admin', knownHosts, 'sudo -n dpkg --configure -a');
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toMatch(/lock/);
    await h.releaseDpkgLock();
    expect(
      await eventually(
        async () => (await ssh(inv, 'admin', knownHosts, 'sudo -n dpkg --configure -a')).code === 0,
        10_000,
      ),
    ).toBe(true);
  });

  it('occupyPort(6443): something answers on 6443; releasePort: nothing does', async () => {
    const [h, inv] = [th(0), invAt(0)];
    expect(await tcpConnects(inv.address, 6443)).toBe(false);
    await h.occupyPort(6443);
    expect(await tcpConnects(inv.address, 6443)).toBe(true);
    await h.releasePort(6443);
    expect(await eventually(async () => !(await tcpConnects(inv.address, 6443)), 10_000)).toBe(
      true,
    );
  });

  it('setOpsSudoPassword: the inventory password stops working; restore: it works again', async () => {
    const [h, inv] = [th(1), invAt(1)];
    const sudoWith = async (pw: string) =>
      (await ssh(inv, 'ops', knownHosts, "sudo -S -p '' true", { input: `${pw}\n` })).code;
    await h.setOpsSudoPassword('changed-by-someone-else');
    expect(await sudoWith(inv.accounts.ops.sudoPassword)).not.toBe(0);
    expect(await sudoWith('changed-by-someone-else')).toBe(0);
    await h.restoreOpsSudoPassword();
    expect(await sudoWith(inv.accounts.ops.sudoPassword)).toBe(0);
  });
});

describe('hosts down', () => {
  it('leaves no container, namespace, veth, route, mount or file behind; a warm up is fast', async () => {
    const subnetIndex = fleet.state.subnetIndex;
    const fleetDir = fleet.paths.dir;
    const r = await testkitCli(['hosts', 'down', '--name', PREFIX]);
    expect(r.code, r.stderr).toBe(0);
    expect(await leftovers(subnetIndex, fleetDir)).toEqual([]);
    const { seconds } = await up();
    console.log(`[timing] hosts up 3 (warm: rootfs cached, new hosts): ${seconds.toFixed(1)} s`);
    const again = await testkitCli(['hosts', 'down', '--name', PREFIX]);
    expect(again.code, again.stderr).toBe(0);
    expect(await leftovers(subnetIndex, fleetDir)).toEqual([]);
  });
});
