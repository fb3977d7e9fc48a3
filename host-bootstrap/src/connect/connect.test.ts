import { describe, expect, it } from 'vitest';
import { SshError } from '../errors/ssh-error.ts';
import { backoffDelay, isTransientError, withRetry } from './retry.ts';
import { expandPath, parseJumpSpec, resolveTarget, type ResolveEnv } from './target.ts';
import { ConnectionPool } from './pool.ts';
import { classifyConnectError } from './open.ts';
import type { SshConnection } from './connection.ts';

const CONFIG = `
Host bastion
  HostName gw.example.org
  User jump
  Port 2222
  IdentityFile ~/.ssh/jump_key

Host node-*
  User admin
  ProxyJump bastion

Host node-1
  HostName 10.0.0.11
  User shouldnotwin

Host chain
  HostName 10.9.9.9
  ProxyJump bastion,ops@inner:2200

Host direct
  HostName 10.0.0.50
  ProxyJump none
  IdentityFile %d/.ssh/id_%r

Host *
  User fallback
  IdentityFile ~/.ssh/id_default
`;

const env = (overrides: Partial<ResolveEnv> = {}): ResolveEnv => ({
  sshConfigText: CONFIG,
  homeDir: '/home/me',
  localUser: 'me',
  agentSocket: '/tmp/agent.sock',
  fileExists: () => false,
  ...overrides,
});

describe('ssh config resolution', () => {
  it('applies Host wildcards with first-obtained-value precedence', () => {
    const hops = resolveTarget({ host: 'node-1' }, env());
    expect(hops.map((h) => h.hostName)).toEqual(['gw.example.org', '10.0.0.11']);
    const [jump, target] = hops;
    expect(target?.user).toBe('admin'); // node-* comes first in the file
    expect(target?.port).toBe(22);
    expect(target?.identityFiles).toEqual([{ path: '/home/me/.ssh/id_default', explicit: true }]);
    expect(jump).toMatchObject({ user: 'jump', port: 2222 });
    expect(jump?.identityFiles[0]).toEqual({ path: '/home/me/.ssh/jump_key', explicit: true });
  });
  it('follows ProxyJump chains a,b with user@host:port', () => {
    const hops = resolveTarget({ host: 'chain' }, env());
    expect(hops.map((h) => `${h.user}@${h.hostName}:${h.port}`)).toEqual([
      'jump@gw.example.org:2222',
      'ops@inner:2200',
      'fallback@10.9.9.9:22',
    ]);
  });
  it('lets explicit target fields win and honours ProxyJump none and tokens', () => {
    const hops = resolveTarget(
      { host: 'direct', user: 'root', port: 2200, keyPath: '~/k', useAgent: false },
      env(),
    );
    expect(hops).toHaveLength(1);
    expect(hops[0]).toMatchObject({
      hostName: '10.0.0.50',
      user: 'root',
      port: 2200,
      agentSocket: undefined,
    });
    expect(hops[0]?.identityFiles).toEqual([{ path: '/home/me/k', explicit: true }]);
    const viaConfig = resolveTarget({ host: 'direct' }, env());
    expect(viaConfig[0]?.identityFiles[0]?.path).toBe('/home/me/.ssh/id_fallback');
  });
  it('uses default keys that exist when nothing is configured', () => {
    const hops = resolveTarget(
      { host: '10.1.1.1' },
      env({ sshConfigText: undefined, fileExists: (p) => p.endsWith('id_ed25519') }),
    );
    expect(hops[0]).toMatchObject({ user: 'me', agentSocket: '/tmp/agent.sock' });
    expect(hops[0]?.identityFiles).toEqual([{ path: '/home/me/.ssh/id_ed25519', explicit: false }]);
  });
  it('parses jump specs and expands paths', () => {
    expect(parseJumpSpec('ops@[fe80::1]:2200')).toEqual({
      host: 'fe80::1',
      user: 'ops',
      port: 2200,
    });
    expect(parseJumpSpec('gw')).toEqual({ host: 'gw' });
    expect(
      expandPath('~/.ssh/%h-%p', { homeDir: '/h', localUser: 'u', host: 'x', user: 'r', port: 22 }),
    ).toBe('/h/.ssh/x-22');
  });
});

describe('retry', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  it('classifies transient vs permanent errors', () => {
    for (const c of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'])
      expect(isTransientError(err(c))).toBe(true);
    expect(isTransientError(Object.assign(new Error('t'), { level: 'client-timeout' }))).toBe(true);
    expect(
      isTransientError(Object.assign(new Error('a'), { level: 'client-authentication' })),
    ).toBe(false);
    expect(isTransientError(new SshError('auth', 'x', { remedy: '' }))).toBe(false);
    expect(isTransientError(new SshError('host-key-changed', 'x', { remedy: '' }))).toBe(false);
    expect(
      isTransientError(new SshError('unreachable', 'x', { remedy: '', transient: true })),
    ).toBe(true);
  });
  it('backs off exponentially with jitter and a cap', () => {
    const p = { attempts: 5, baseDelayMs: 100, maxDelayMs: 350 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n, () => 0.999999))).toEqual([
      100, 200, 350, 350,
    ]);
    expect(backoffDelay(p, 3, () => 0.5)).toBe(175);
  });
  it('retries transient failures only, up to the attempt limit', async () => {
    const sleeps: number[] = [];
    const deps = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 1 };
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err('ECONNREFUSED');
        },
        { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
        deps,
      ),
    ).rejects.toThrow('ECONNREFUSED');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([10, 20]);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new SshError('auth', 'no', { remedy: '' });
        },
        { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
        deps,
      ),
    ).rejects.toThrow('no');
    expect(calls).toBe(1);
  });
});

describe('classifyConnectError', () => {
  const [hop] = resolveTarget({ host: 'node-9', user: 'admin' }, env({ sshConfigText: undefined }));
  if (!hop) throw new Error('no hop');
  it('maps ssh2 levels and socket codes to kinds', () => {
    expect(
      classifyConnectError(
        Object.assign(new Error('All configured authentication methods failed'), {
          level: 'client-authentication',
        }),
        hop,
        undefined,
        '',
      ).kind,
    ).toBe('auth');
    expect(
      classifyConnectError(
        Object.assign(new Error('Timed out while waiting for handshake'), {
          level: 'client-timeout',
        }),
        hop,
        undefined,
        '',
      ),
    ).toMatchObject({ kind: 'timeout', transient: true });
    expect(classifyConnectError(err('ECONNREFUSED'), hop, undefined, '')).toMatchObject({
      kind: 'unreachable',
      transient: true,
    });
    expect(classifyConnectError(err('ENOTFOUND'), hop, undefined, '')).toMatchObject({
      kind: 'unreachable',
      transient: false,
    });
  });
  const err = (code: string) => Object.assign(new Error(code), { code });
});

describe('ConnectionPool', () => {
  const fake = (): SshConnection & { closes: number } => {
    const c = {
      label: 'x',
      user: 'u',
      closes: 0,
      closed: false,
      exec: async () => ({ stdout: '', stderr: '', code: 0, signal: undefined }),
      close() {
        c.closes++;
        c.closed = true;
      },
    };
    return c;
  };
  it('shares one opening per host and reopens a closed connection', async () => {
    const pool = new ConnectionPool();
    let opens = 0;
    const open = async () => {
      opens++;
      return fake();
    };
    const [a, b] = await Promise.all([pool.get('h', open), pool.get('h', open)]);
    expect(a).toBe(b);
    expect(opens).toBe(1);
    a.close();
    const c = await pool.get('h', open);
    expect(c).not.toBe(a);
    expect(opens).toBe(2);
    await pool.closeAll();
    expect(c.closed).toBe(true);
    expect(pool.size).toBe(0);
  });
  it('forgets failed openings', async () => {
    const pool = new ConnectionPool();
    await expect(
      pool.get('h', async () => {
        throw new Error('x');
      }),
    ).rejects.toThrow('x');
    expect(pool.size).toBe(0);
  });
});
