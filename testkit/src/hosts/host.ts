/**
 * A running test host as tests see it: where to reach it, a root shell through nsenter,
 * and reversible faults, each observable from outside (over SSH or the network).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  MachinePaths,
  execIn,
  generateHostKey,
  readHostKey,
  setPassword,
  startContainer,
  stopContainer,
  nspawnPid,
  containerInitPid,
} from './machine.ts';
import { hostPort } from './network.ts';
import type { CommandResult, CommandRunner, RunOptions } from './run.ts';
import type { FleetState, HostInventory, HostState } from './state.ts';

/** What a host needs from its fleet. */
export interface HostContext {
  readonly run: CommandRunner;
  readonly fleetNetns: string;
  readonly keysDir: string;
  readonly state: FleetState;
  /** Persists the fleet state and known_hosts after a host changed (e.g. its key). */
  readonly save: () => Promise<void>;
  /** Waits until the host accepts SSH as admin with its current host key. */
  readonly waitSsh: (host: TestHost, timeoutMs?: number) => Promise<void>;
}

const DROP_COMMENT = 'nodeless-testkit-drop';
const FILL_FILE = '/var/lib/nodeless-testkit-fill';
const DPKG_LOCK_UNIT = 'nodeless-testkit-dpkg-lock';
const portUnit = (port: number) => `nodeless-testkit-port-${port}`;

/**
 * Holds dpkg's locks the way apt and dpkg take them: fcntl(F_SETLK) write locks on
 * lock-frontend and lock (flock(1) would not conflict with them).
 * @see https://manpages.debian.org/bookworm/apt/apt-get.8.en.html (DPkg::Lock::Timeout)
 */
const DPKG_LOCK_PERL = `use Fcntl qw(F_SETLK F_WRLCK SEEK_SET); my @h;
for my $p ("/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock") {
  open(my $f, ">>", $p) or die "$p: $!";
  my $l = pack("s s x4 q q i x4", F_WRLCK, SEEK_SET, 0, 0, 0);
  fcntl($f, F_SETLK, $l) or die "lock $p: $!";
  push @h, $f;
}
sleep;`;

/** One test host of a fleet. */
export class TestHost {
  readonly machine: MachinePaths;
  constructor(
    private readonly ctx: HostContext,
    readonly state: HostState,
  ) {
    this.machine = new MachinePaths(state.dir);
  }

  get name(): string {
    return this.state.name;
  }
  get address(): string {
    return this.state.address;
  }
  get port(): number {
    return 22;
  }
  /** Current host key fingerprint, `SHA256:…`. */
  get hostKeySha256(): string {
    return this.state.hostKeySha256;
  }

  /** The host's inventory entry (keys, the fleet's ops password, current host key). */
  inventory(): HostInventory {
    const key = (user: string) => ({ user, keyPath: path.join(this.ctx.keysDir, user) });
    return {
      name: this.name,
      address: this.address,
      port: this.port,
      hostKeySha256: this.state.hostKeySha256,
      hostPublicKey: this.state.hostPublicKey,
      accounts: {
        root: key('root'),
        admin: key('admin'),
        ops: { ...key('ops'), sudoPassword: this.ctx.state.opsPassword },
      },
    };
  }

  /** Is its systemd-nspawn process alive? */
  async isRunning(): Promise<boolean> {
    return (await containerInitPid(this.machine)) !== undefined;
  }

  /**
   * Runs a command as root inside the host (nsenter, not SSH, so it works while the
   * network is cut). A string runs under `/bin/sh -c`. Non-zero exits throw unless
   * `check: false`.
   */
  exec(command: string | readonly string[], options?: RunOptions): Promise<CommandResult> {
    return execIn(this.ctx.run, this.machine, command, options);
  }

  // ---- network ---------------------------------------------------------------------

  /** Unplugs the host's cable from the fleet bridge: connections hang, new ones time out. */
  async cutNetwork(): Promise<void> {
    await this.ctx.run('ip', [
      '-n',
      this.ctx.fleetNetns,
      'link',
      'set',
      hostPort(this.state.index),
      'down',
    ]);
  }

  /** Reverts {@link cutNetwork} and {@link dropPackets}. */
  async restoreNetwork(): Promise<void> {
    await this.ctx.run('ip', [
      '-n',
      this.ctx.fleetNetns,
      'link',
      'set',
      hostPort(this.state.index),
      'up',
    ]);
    await this.stopDroppingPackets();
  }

  /**
   * Silently drops every packet on the host's eth0 (iptables DROP in its namespace; the
   * kernel here has no netem) for `seconds`, then reverts by itself — a detached timer, so
   * it also reverts when the caller exits. Loopback traffic inside the host is unaffected.
   */
  async dropPackets(seconds: number): Promise<void> {
    if (!(seconds > 0 && seconds <= 3600))
      throw new Error('dropPackets: seconds must be in (0, 3600]');
    await this.stopDroppingPackets();
    const rules = this.dropRules();
    for (const r of rules)
      await this.ctx.run('ip', ['netns', 'exec', this.state.netns, 'iptables', '-w', '-I', ...r]);
    const undo = rules
      .map((r) => `ip netns exec ${this.state.netns} iptables -w -D ${r.join(' ')}`)
      .join('; ');
    const timer = spawn('sh', ['-c', `sleep ${Math.ceil(seconds)}; ${undo}`, DROP_COMMENT], {
      detached: true,
      stdio: 'ignore',
    });
    timer.unref();
    await fs.writeFile(this.dropTimerFile, `${timer.pid ?? ''}\n`);
  }

  /** Ends a {@link dropPackets} early. */
  async stopDroppingPackets(): Promise<void> {
    const pid = Number((await fs.readFile(this.dropTimerFile, 'utf8').catch(() => '')).trim());
    if (pid) {
      const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(DROP_COMMENT)) process.kill(pid, 'SIGTERM');
    }
    await fs.rm(this.dropTimerFile, { force: true });
    for (const r of this.dropRules()) {
      // Delete every copy of the rule (bounded).
      for (let i = 0; i < 10; i++) {
        const d = await this.ctx.run(
          'ip',
          ['netns', 'exec', this.state.netns, 'iptables', '-w', '-D', ...r],
          {
            check: false,
          },
        );
        if (d.code !== 0) break;
      }
    }
  }

  private dropRules(): string[][] {
    const c = ['-m', 'comment', '--comment', DROP_COMMENT, '-j', 'DROP'];
    return [
      ['INPUT', '-i', 'eth0', ...c],
      ['OUTPUT', '-o', 'eth0', ...c],
    ];
  }

  private get dropTimerFile(): string {
    return path.join(this.state.dir, 'drop-timer.pid');
  }

  // ---- power ------------------------------------------------------------------------

  /** Pulls the plug: SIGKILL to the host's systemd (no shutdown, no unit stops). */
  async powerOff(): Promise<void> {
    await stopContainer(this.machine, true);
  }

  /** Boots a stopped host and waits until it accepts SSH. No-op when running. */
  async boot(timeoutMs = 90_000): Promise<void> {
    if ((await nspawnPid(this.machine)) === undefined) {
      await startContainer(this.machine, this.name, this.state.netns);
    }
    await this.ctx.waitSsh(this, timeoutMs);
  }

  // ---- sshd ---------------------------------------------------------------------------

  /** `systemctl restart ssh` (new listener; existing sessions survive, as on Debian). */
  async restartSshd(): Promise<void> {
    await this.exec(['systemctl', 'restart', 'ssh']);
  }

  /** A "new machine at the same address": fresh ed25519 host key. Returns its fingerprint. */
  async regenerateHostKey(): Promise<string> {
    const backup = path.join(this.state.dir, 'hostkey-original');
    const keyDir = path.join(this.machine.root, 'etc/ssh');
    if (
      !(await fs.access(backup).then(
        () => true,
        () => false,
      ))
    ) {
      await fs.mkdir(backup, { recursive: true, mode: 0o700 });
      for (const f of ['ssh_host_ed25519_key', 'ssh_host_ed25519_key.pub']) {
        await fs.copyFile(path.join(keyDir, f), path.join(backup, f));
      }
    }
    await generateHostKey(this.ctx.run, this.machine.root, this.name);
    return this.reloadHostKey();
  }

  /** Puts the original host key back. Returns its fingerprint. */
  async restoreHostKey(): Promise<string> {
    const backup = path.join(this.state.dir, 'hostkey-original');
    const keyDir = path.join(this.machine.root, 'etc/ssh');
    for (const f of ['ssh_host_ed25519_key', 'ssh_host_ed25519_key.pub']) {
      await fs.copyFile(path.join(backup, f), path.join(keyDir, f));
    }
    await fs.chmod(path.join(keyDir, 'ssh_host_ed25519_key'), 0o600);
    await fs.rm(backup, { recursive: true, force: true });
    return this.reloadHostKey();
  }

  private async reloadHostKey(): Promise<string> {
    const key = await readHostKey(this.ctx.run, this.machine.root);
    this.state.hostKeySha256 = key.sha256;
    this.state.hostPublicKey = key.publicKey;
    await this.ctx.save();
    await this.restartSshd();
    return key.sha256;
  }

  // ---- disk -------------------------------------------------------------------------

  /**
   * Fills the host's disk (its 4 GiB-ish image, seen as `/` and `/var/lib`) until `percent`
   * is used, with one preallocated file. Replaces an earlier fill.
   */
  async fillDisk(percent: number): Promise<void> {
    if (!(percent > 0 && percent <= 100)) throw new Error('fillDisk: percent must be in (0, 100]');
    await this.freeDisk();
    const df = await this.exec(['df', '-B1', '--output=size,used,avail', '/var/lib']);
    const [size, used, avail] = (df.stdout.trim().split('\n').pop() ?? '')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (size === undefined || used === undefined || avail === undefined)
      throw new Error(`fillDisk: cannot parse df: ${df.stdout}`);
    const want = Math.min(Math.ceil((size * percent) / 100) - used, avail);
    if (want <= 0) return;
    await this.exec(['fallocate', '-l', String(want), FILL_FILE]);
  }

  /** Reverts {@link fillDisk}. */
  async freeDisk(): Promise<void> {
    await this.exec(['rm', '-f', FILL_FILE]);
  }

  // ---- dpkg -------------------------------------------------------------------------

  /** Another "apt" holds dpkg's locks (as a transient unit inside the host). */
  async holdDpkgLock(): Promise<void> {
    await this.exec([
      'systemd-run',
      `--unit=${DPKG_LOCK_UNIT}`,
      '--collect',
      'perl',
      '-e',
      DPKG_LOCK_PERL,
    ]);
    await this.waitFor(
      async () =>
        (await this.exec(['lslocks', '--noheadings', '--output', 'PATH'])).stdout.includes(
          '/var/lib/dpkg/lock',
        ),
      'dpkg lock held',
    );
  }

  /** Reverts {@link holdDpkgLock}. */
  async releaseDpkgLock(): Promise<void> {
    await this.exec(['systemctl', 'stop', DPKG_LOCK_UNIT], { check: false });
  }

  // ---- ports ------------------------------------------------------------------------

  /** Something else listens on `port` (default 6443) on all addresses of the host. */
  async occupyPort(port = 6443): Promise<void> {
    const js = `require("net").createServer((s) => s.end()).listen(${Number(port)}, "0.0.0.0")`;
    await this.exec([
      'systemd-run',
      `--unit=${portUnit(port)}`,
      '--collect',
      '/usr/bin/node',
      '-e',
      js,
    ]);
    await this.waitFor(
      async () => (await this.exec(['ss', '-Hltn', `sport = :${port}`])).stdout.trim() !== '',
      `port ${port} listening`,
    );
  }

  /** Reverts {@link occupyPort}. */
  async releasePort(port = 6443): Promise<void> {
    await this.exec(['systemctl', 'stop', portUnit(port)], { check: false });
  }

  // ---- sudo -------------------------------------------------------------------------

  /** Someone changed ops' password: the inventory's `sudoPassword` no longer works. */
  async setOpsSudoPassword(password: string): Promise<void> {
    await setPassword(this.ctx.run, this.machine.root, 'ops', password);
  }

  /** Reverts {@link setOpsSudoPassword} to the fleet's password. */
  async restoreOpsSudoPassword(): Promise<void> {
    await setPassword(this.ctx.run, this.machine.root, 'ops', this.ctx.state.opsPassword);
  }

  private async waitFor(
    cond: () => Promise<boolean>,
    what: string,
    timeoutMs = 15_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name}: timed out waiting for ${what}`);
  }
}
