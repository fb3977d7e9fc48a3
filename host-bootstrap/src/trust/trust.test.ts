import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trustHostKey } from './consent.ts';
import { sha256Fingerprint, wireKeyType } from './fingerprint.ts';
import { entryMatches, hashHostName, parseKnownHosts } from './known-hosts.ts';
import { MemoryKnownHostsStore } from './store.ts';
import { createHostVerifier, evaluateHostKey, knownKeysFor } from './verifier.ts';

function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
}

const dir = mkdtempSync(join(tmpdir(), 'hb-trust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function genKey(
  type: 'ed25519' | 'ecdsa' | 'rsa',
  name: string,
): { pub: string; wire: Buffer; keygenFp: string } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    type,
    ...(type === 'rsa' ? ['-b', '2048'] : []),
    '-N',
    '',
    '-f',
    path,
  ]);
  const pub = readFileSync(`${path}.pub`, 'utf8').trim();
  const keygenFp =
    execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  return { pub, wire: Buffer.from(pub.split(' ')[1] ?? '', 'base64'), keygenFp };
}

const ed = genKey('ed25519', 'ed');
const ec = genKey('ecdsa', 'ec');
const rsa = genKey('rsa', 'rsa');

describe('fingerprint', () => {
  it.each([
    ['ed25519', ed, 'ssh-ed25519'],
    ['ecdsa', ec, 'ecdsa-sha2-nistp256'],
    ['rsa', rsa, 'ssh-rsa'],
  ])('matches ssh-keygen -lf for %s', (_n, key, type) => {
    expect(key.keygenFp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sha256Fingerprint(key.wire)).toBe(key.keygenFp);
    expect(wireKeyType(key.wire)).toBe(type);
  });
  it('reports a malformed blob as unknown type', () => {
    expect(wireKeyType(Buffer.from([0, 0, 0, 200, 1]))).toBe('unknown');
  });
});

describe('known_hosts', () => {
  const [edType, edB64] = ed.pub.split(' ') as [string, string];
  const [ecType, ecB64] = ec.pub.split(' ') as [string, string];

  it('parses plain, [host]:port, wildcard, negation and comments', () => {
    const text = [
      '# comment',
      `node-a,10.0.0.5 ${edType} ${edB64} admin@x`,
      `[node-b]:2222 ${ecType} ${ecB64}`,
      `*.lab,!bad.lab ${edType} ${edB64}`,
      'garbage-line',
    ].join('\n');
    const entries = parseKnownHosts(text, 'kh');
    expect(entries).toHaveLength(3);
    expect(entries[0]?.fingerprint).toBe(ed.keygenFp);
    expect(entries[0]?.source).toBe('kh:2');
    expect(entryMatches(at(entries, 0), '10.0.0.5', 22)).toBe(true);
    expect(entryMatches(at(entries, 0), '10.0.0.5', 2222)).toBe(false);
    expect(entryMatches(at(entries, 1), 'node-b', 2222)).toBe(true);
    expect(entryMatches(at(entries, 1), 'node-b', 22)).toBe(false);
    expect(entryMatches(at(entries, 2), 'x.lab', 22)).toBe(true);
    expect(entryMatches(at(entries, 2), 'bad.lab', 22)).toBe(false);
  });

  it('matches hashed entries written by ssh-keygen -H', () => {
    const file = join(dir, 'known_hosts');
    execFileSync('sh', [
      '-c',
      `printf '%s\\n' 'node-h ${edType} ${edB64}' '[10.1.2.3]:2200 ${ecType} ${ecB64}' > ${file}`,
    ]);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\|1\|/);
    const entries = parseKnownHosts(text, file);
    expect(
      entries.some((e) => entryMatches(e, 'node-h', 22) && e.fingerprint === ed.keygenFp),
    ).toBe(true);
    expect(
      entries.some((e) => entryMatches(e, '10.1.2.3', 2200) && e.fingerprint === ec.keygenFp),
    ).toBe(true);
    expect(entries.some((e) => entryMatches(e, 'node-x', 22))).toBe(false);
    // Our own hashing agrees with OpenSSH's.
    const mine = parseKnownHosts(
      `${hashHostName('node-h', Buffer.alloc(20, 7))} ${edType} ${edB64}`,
      'x',
    );
    expect(entryMatches(at(mine, 0), 'node-h', 22)).toBe(true);
  });

  it('revoked keys win over trusted ones', async () => {
    const entries = parseKnownHosts(
      `node-a ${edType} ${edB64}\n@revoked * ${edType} ${edB64}`,
      'kh',
    );
    const known = await knownKeysFor('node-a', 22, {
      store: new MemoryKnownHostsStore(),
      knownHosts: entries,
    });
    expect(evaluateHostKey(ed.keygenFp, known)).toBe('revoked');
  });
});

describe('host verifier', () => {
  const verify = (
    store: MemoryKnownHostsStore,
    key: Buffer,
    knownHosts = parseKnownHosts('', 'kh'),
  ) =>
    new Promise<{ ok: boolean; outcome: ReturnType<typeof createHostVerifier>['outcome'] }>(
      (resolve) => {
        const v = createHostVerifier('node-a', 22, { store, knownHosts });
        v.verifier(key, (ok) => resolve({ ok, outcome: v.outcome }));
      },
    );

  it('rejects an unknown key with its fingerprint, accepts it after consent', async () => {
    const store = new MemoryKnownHostsStore();
    const first = await verify(store, ed.wire);
    expect(first.ok).toBe(false);
    expect(first.outcome.error?.kind).toBe('host-key-unknown');
    expect(first.outcome.error?.hostKey?.fingerprint).toBe(ed.keygenFp);
    await trustHostKey(
      store,
      { hostPattern: 'node-a', keyBase64: ed.wire.toString('base64'), fingerprint: ed.keygenFp },
      () => 1,
    );
    expect((await verify(store, ed.wire)).ok).toBe(true);
  });

  it('rejects a changed key naming old and new fingerprints', async () => {
    const store = new MemoryKnownHostsStore();
    await trustHostKey(
      store,
      { hostPattern: 'node-a', keyBase64: ed.wire.toString('base64'), fingerprint: ed.keygenFp },
      () => 1,
    );
    const r = await verify(store, ec.wire);
    expect(r.ok).toBe(false);
    expect(r.outcome.error?.kind).toBe('host-key-changed');
    expect(r.outcome.error?.message).toContain(ed.keygenFp);
    expect(r.outcome.error?.message).toContain(ec.keygenFp);
    expect(r.outcome.error?.remedy).toContain("ssh-keygen -R 'node-a'");
    // Trusting the new key needs the deliberate replace.
    const consent = {
      hostPattern: 'node-a',
      keyBase64: ec.wire.toString('base64'),
      fingerprint: ec.keygenFp,
    };
    await expect(trustHostKey(store, consent, () => 2)).rejects.toThrow(/forget it first/);
    await trustHostKey(store, consent, () => 2, true);
    expect((await verify(store, ec.wire)).ok).toBe(true);
    expect((await verify(store, ed.wire)).ok).toBe(false);
  });

  it('honours ~/.ssh/known_hosts', async () => {
    const kh = parseKnownHosts(`node-a ${rsa.pub}`, 'kh');
    expect((await verify(new MemoryKnownHostsStore(), rsa.wire, kh)).ok).toBe(true);
  });

  it('refuses a consent whose fingerprint does not match the key', async () => {
    const store = new MemoryKnownHostsStore();
    await expect(
      trustHostKey(
        store,
        { hostPattern: 'node-a', keyBase64: ed.wire.toString('base64'), fingerprint: ec.keygenFp },
        () => 1,
      ),
    ).rejects.toThrow(/does not match/);
    expect(await store.list('node-a')).toHaveLength(0);
  });
});
