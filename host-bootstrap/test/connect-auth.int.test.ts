/**
 * Connecting to real sshd on testkit hosts: every auth method, a jump host, and the host-key
 * trust flow (first contact → consent → connect; regenerated key → hard stop).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryKnownHostsStore,
  establishPrivilege,
  isSshError,
  nodeConnectDeps,
  openConnection,
  probeHostKey,
  trustHostKey,
  type SshConnection,
} from '../src/index.ts';
import {
  FAST,
  connectDeps,
  encryptedCopy,
  host,
  knownFleetTrust,
  setupWorld,
  startAgent,
  type TestWorld,
} from './fleet-helpers.ts';

let world: TestWorld;
beforeAll(async () => {
  world = await setupWorld();
});
afterAll(async () => {
  await world?.release();
});

async function withConn<T>(
  conn: Promise<SshConnection>,
  fn: (c: SshConnection) => Promise<T>,
): Promise<T> {
  const c = await conn;
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

const whoami = (c: SshConnection) =>
  c.exec('id -un; hostname').then((r) => r.stdout.trim().split('\n'));

describe('auth methods', () => {
  it('key file as admin, passwordless sudo (a stale SSH_AUTH_SOCK does not get in the way)', async () => {
    const h = host(world, 0);
    const staleAgent = `${world.home}/no-such-agent.sock`;
    await withConn(
      openConnection(
        { host: h.address, user: 'admin', keyPath: h.accounts.admin.keyPath },
        { trust: knownFleetTrust(world), ...FAST },
        connectDeps(world, staleAgent),
      ),
      async (c) => {
        expect(await whoami(c)).toEqual(['admin', h.name]);
        const root = await establishPrivilege(c);
        expect(root.mode).toBe('sudo-nopasswd');
        expect((await root.run('id -u')).stdout.trim()).toBe('0');
      },
    );
  });

  it('ssh-agent (SSH_AUTH_SOCK), no key file', async () => {
    const h = host(world, 1);
    const agent = await startAgent(world, h.accounts.admin.keyPath);
    try {
      await withConn(
        openConnection(
          { host: h.address, user: 'admin' },
          { trust: knownFleetTrust(world), ...FAST },
          connectDeps(world, agent.socket),
        ),
        async (c) => expect(await whoami(c)).toEqual(['admin', h.name]),
      );
    } finally {
      agent.stop();
    }
  });

  it('encrypted key: right passphrase works, wrong or missing one is a clear error naming the file', async () => {
    const h = host(world, 0);
    const key = encryptedCopy(world, h.accounts.admin.keyPath, 'correct horse', 'admin-enc');
    const target = { host: h.address, user: 'admin', keyPath: key };
    const trust = knownFleetTrust(world);
    await withConn(
      openConnection(
        target,
        { trust, secrets: { passphrase: 'correct horse' }, ...FAST },
        connectDeps(world),
      ),
      async (c) => expect((await whoami(c))[0]).toBe('admin'),
    );
    const wrong = await openConnection(
      target,
      { trust, secrets: { passphrase: 'wrong' }, ...FAST },
      connectDeps(world),
    ).catch((e: unknown) => e);
    expect(isSshError(wrong) && wrong.kind).toBe('auth');
    expect(String((wrong as Error).message)).toContain(key);
    expect(String((wrong as Error).message)).toMatch(/wrong passphrase/i);
    const missing = await openConnection(target, { trust, ...FAST }, connectDeps(world)).catch(
      (e: unknown) => e,
    );
    expect(String((missing as Error).message)).toMatch(/encrypted and no passphrase/);
  });

  it('ops: password login, sudo with password on stdin', async () => {
    const h = host(world, 2);
    await withConn(
      openConnection(
        { host: h.address, user: 'ops', useAgent: false },
        {
          trust: knownFleetTrust(world),
          secrets: { password: h.accounts.ops.sudoPassword },
          ...FAST,
        },
        connectDeps(world),
      ),
      async (c) => {
        expect((await whoami(c))[0]).toBe('ops');
        await expect(establishPrivilege(c)).rejects.toMatchObject({
          kind: 'sudo',
          message: expect.stringMatching(/needs a password/),
        });
        const root = await establishPrivilege(c, { sudoPassword: h.accounts.ops.sudoPassword });
        expect(root.mode).toBe('sudo-password');
        expect((await root.run('id -u; echo "a b"')).stdout).toBe('0\na b\n');
      },
    );
  });

  it('keyboard-interactive: answers the PAM password prompt when plain password auth is off', async () => {
    const h = world.fleet.hosts[2];
    const inv = host(world, 2);
    if (!h) throw new Error('no host 3');
    const setup = [
      'cp /etc/ssh/sshd_config /etc/ssh/sshd_config.nodeless-bak',
      'sed -i "s/^    PasswordAuthentication yes$/    PasswordAuthentication no/" /etc/ssh/sshd_config',
      'echo "KbdInteractiveAuthentication yes" > /etc/ssh/sshd_config.d/00-nodeless-kbd.conf',
    ].join(' && ');
    await h.exec(['sh', '-c', setup]);
    await h.restartSshd();
    try {
      const sshdSays = (await h.exec(['sshd', '-T', '-C', 'user=ops,host=x,addr=10.0.0.1'])).stdout;
      expect(sshdSays).toMatch(/^passwordauthentication no$/m);
      expect(sshdSays).toMatch(/^kbdinteractiveauthentication yes$/m);
      await withConn(
        openConnection(
          { host: inv.address, user: 'ops', useAgent: false },
          {
            trust: knownFleetTrust(world),
            secrets: { password: inv.accounts.ops.sudoPassword },
            ...FAST,
          },
          connectDeps(world),
        ),
        async (c) => expect((await whoami(c))[0]).toBe('ops'),
      );
    } finally {
      await h.exec([
        'sh',
        '-c',
        'mv /etc/ssh/sshd_config.nodeless-bak /etc/ssh/sshd_config; rm -f /etc/ssh/sshd_config.d/00-nodeless-kbd.conf',
      ]);
      await h.restartSshd();
    }
  });

  it('requiretty hosts: sudo runs on a pty, the password is fed without echo, a wrong one fails fast', async () => {
    const h = world.fleet.hosts[2];
    const inv = host(world, 2);
    if (!h) throw new Error('no host 3');
    await h.exec([
      'sh',
      '-c',
      'echo "Defaults requiretty" > /etc/sudoers.d/zz-nodeless-test && chmod 0440 /etc/sudoers.d/zz-nodeless-test',
    ]);
    try {
      const target = { host: inv.address, user: 'ops', keyPath: inv.accounts.ops.keyPath };
      await withConn(
        openConnection(target, { trust: knownFleetTrust(world), ...FAST }, connectDeps(world)),
        async (c) => {
          // Without a tty sudo refuses outright; prove the host really requires one.
          expect((await c.exec('sudo -S -p "" true', { stdin: 'x\n' })).stderr).toMatch(
            /must have a tty/,
          );
          const root = await establishPrivilege(c, { sudoPassword: inv.accounts.ops.sudoPassword });
          expect(root).toMatchObject({ mode: 'sudo-password', pty: true });
          const r = await root.run('id -u; echo second line');
          expect(r.stdout).toBe('0\nsecond line\n');
          expect(r.stdout).not.toContain(inv.accounts.ops.sudoPassword);
          const started = Date.now();
          await expect(establishPrivilege(c, { sudoPassword: 'wrong-one' })).rejects.toMatchObject({
            kind: 'sudo',
          });
          expect(Date.now() - started).toBeLessThan(FAST.timeouts.commandMs);
        },
      );
    } finally {
      await h.exec(['rm', '-f', '/etc/sudoers.d/zz-nodeless-test']);
    }
  });

  it('through a jump host (host 1 as bastion for host 2)', async () => {
    const bastion = host(world, 0);
    const inner = host(world, 1);
    const target = {
      host: inner.address,
      user: 'admin',
      keyPath: inner.accounts.admin.keyPath,
      jump: [{ host: bastion.address, user: 'admin', keyPath: bastion.accounts.admin.keyPath }],
    };
    await withConn(
      openConnection(target, { trust: knownFleetTrust(world), ...FAST }, connectDeps(world)),
      async (c) => {
        // sshd on the inner host sees the connection coming from the bastion.
        const from = (await c.exec('echo $SSH_CONNECTION')).stdout.trim().split(' ')[0];
        expect(from).toBe(bastion.address);
        expect((await whoami(c))[1]).toBe(inner.name);
      },
    );
  });
});

describe('~/.ssh/config', () => {
  it('resolves aliases, wildcards, IdentityFile with ~ and a ProxyJump alias', async () => {
    const bastion = host(world, 0);
    const inner = host(world, 1);
    const home = mkdtempSync(join(tmpdir(), 'hb-cfg-'));
    try {
      mkdirSync(join(home, '.ssh'), { mode: 0o700 });
      copyFileSync(bastion.accounts.admin.keyPath, join(home, '.ssh', 'fleet_admin'));
      writeFileSync(
        join(home, '.ssh', 'config'),
        [
          'Host gw',
          `  HostName ${bastion.address}`,
          '  User admin',
          'Host lab-*',
          '  ProxyJump gw',
          '  User admin',
          'Host lab-inner',
          `  HostName ${inner.address}`,
          '  User ops',
          'Host *',
          '  User root',
          '  IdentityFile ~/.ssh/fleet_admin',
        ].join('\n'),
      );
      const deps = nodeConnectDeps({ homeDir: home, env: { USER: 'tester' } });
      await withConn(
        openConnection({ host: 'lab-inner' }, { trust: knownFleetTrust(world), ...FAST }, deps),
        async (c) => {
          // First obtained value wins: `User admin` from `lab-*` beats the later `User ops`.
          expect(c.user).toBe('admin');
          expect((await whoami(c))[1]).toBe(inner.name);
          expect((await c.exec('echo $SSH_CONNECTION')).stdout.split(' ')[0]).toBe(bastion.address);
        },
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('host-key trust', () => {
  it('first contact asks for consent with the OpenSSH fingerprint; accepted keys are stored', async () => {
    const h = host(world, 0);
    const trust = { store: new MemoryKnownHostsStore(), knownHosts: [] };
    const target = { host: h.address, user: 'admin', keyPath: h.accounts.admin.keyPath };
    const err = await openConnection(target, { trust, ...FAST }, connectDeps(world)).catch(
      (e: unknown) => e,
    );
    expect(isSshError(err) && err.kind).toBe('host-key-unknown');
    expect(isSshError(err) && err.hostKey?.fingerprint).toBe(h.hostKeySha256);
    const probe = await probeHostKey(target, { trust, ...FAST }, connectDeps(world));
    expect(probe).toMatchObject({
      fingerprint: h.hostKeySha256,
      keyType: 'ssh-ed25519',
      knownStatus: 'unknown',
    });
    await trustHostKey(trust.store, probe, Date.now);
    await withConn(openConnection(target, { trust, ...FAST }, connectDeps(world)), async (c) =>
      expect((await whoami(c))[0]).toBe('admin'),
    );
    expect((await probeHostKey(target, { trust, ...FAST }, connectDeps(world))).knownStatus).toBe(
      'trusted',
    );
  });

  it('a regenerated host key is refused, naming old and new fingerprints', async () => {
    const h = world.fleet.hosts[2];
    const inv = host(world, 2);
    if (!h) throw new Error('no host 3');
    const trust = knownFleetTrust(world); // holds the OLD key, as ~/.ssh/known_hosts would
    const oldFp = inv.hostKeySha256;
    const newFp = await h.regenerateHostKey();
    try {
      const target = { host: inv.address, user: 'admin', keyPath: inv.accounts.admin.keyPath };
      const started = Date.now();
      const err = await openConnection(target, { trust, ...FAST }, connectDeps(world)).catch(
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(FAST.timeouts.connectMs);
      expect(isSshError(err) && err.kind).toBe('host-key-changed');
      const message = (err as Error).message;
      expect(message).toContain(oldFp);
      expect(message).toContain(newFp);
      expect(isSshError(err) && err.remedy).toMatch(/ssh-keygen -R/);
      expect((await probeHostKey(target, { trust, ...FAST }, connectDeps(world))).knownStatus).toBe(
        'changed',
      );
    } finally {
      await h.restoreHostKey();
    }
  });
});
