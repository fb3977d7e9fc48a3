import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkPrivateKeyFile,
  expandKeyPath,
  looksLikePrivateKey,
  type KeyFileFs,
  type KeyFileHandle,
} from './key-file.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-keys-'));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');

/** Real keys in every format the brief names, made by Node's crypto (and ssh-keygen). */
const keys: Record<string, string> = {
  'PEM RSA (PKCS#1)': rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  'PEM RSA encrypted (Proc-Type)': rsa.privateKey
    .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
    .toString(),
  'PEM EC (SEC1)': ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
  'PKCS#8': ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  'PKCS#8 encrypted': ed.privateKey
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
    .toString(),
};

function sshKeygen(name: string, passphrase: string): string | undefined {
  const file = path.join(dir, name);
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', file], {
      stdio: 'ignore',
    });
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

describe('looksLikePrivateKey', () => {
  it.each(Object.entries(keys))('accepts %s', (_name, pem) => {
    expect(looksLikePrivateKey(pem)).toBe(true);
  });

  it('accepts OpenSSH keys, plain and passphrase-protected', () => {
    const plain = sshKeygen('id_plain', '');
    const encrypted = sshKeygen('id_encrypted', 'secret phrase');
    if (plain === undefined || encrypted === undefined) {
      console.log('ssh-keygen unavailable: using a minimal OpenSSH armour instead');
      expect(
        looksLikePrivateKey(
          '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n',
        ),
      ).toBe(true);
      return;
    }
    expect(plain).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(looksLikePrivateKey(plain)).toBe(true);
    expect(looksLikePrivateKey(encrypted)).toBe(true);
  });

  it.each([
    ['a public key (PEM)', rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['an OpenSSH public key line', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host\n'],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n'],
    ['a truncated key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n'],
    ['an END before BEGIN', '-----END RSA PRIVATE KEY-----\n-----BEGIN RSA PRIVATE KEY-----\n'],
    ['plain text', 'hello\n'],
    ['nothing', ''],
  ])('rejects %s', (_name, text) => {
    expect(looksLikePrivateKey(text)).toBe(false);
  });
});

describe('checkPrivateKeyFile', () => {
  it('returns no error for a real private key file', async () => {
    expect(await checkPrivateKeyFile(write('id_rsa', keys['PEM RSA (PKCS#1)'] ?? ''))).toBe(
      undefined,
    );
  });

  it('names the path when there is no file, or a folder', async () => {
    const missing = path.join(dir, 'nope');
    expect(await checkPrivateKeyFile(missing)).toBe(`no file at ${missing}`);
    expect(await checkPrivateKeyFile(dir)).toBe(`${dir} is a folder, not a key file`);
  });

  it('refuses a FIFO without opening it (opening one waits for a writer forever)', async () => {
    const fifo = path.join(dir, 'fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      console.log('skipped: mkfifo unavailable');
      return;
    }
    expect(await checkPrivateKeyFile(fifo)).toBe(
      `${fifo} is not a regular file (a device, FIFO or socket)`,
    );
    expect(await checkPrivateKeyFile('/dev/null')).toMatch(/is not a regular file/);
  });

  it('refuses /proc files without reading them: they report size 0', async () => {
    if (process.platform !== 'linux') {
      console.log('skipped: /proc is Linux-only');
      return;
    }
    // /proc/kmsg blocked the read until the kernel logged something; /proc/kallsyms is MBs.
    for (const file of ['/proc/kmsg', '/proc/kallsyms', '/proc/self/environ']) {
      expect(await checkPrivateKeyFile(file)).toMatch(/is not a private key|permission denied/);
    }
  });

  it('says "is not a private key" for other files, and never reads a huge one whole', async () => {
    expect(await checkPrivateKeyFile(write('notes.txt', 'just notes'))).toBe(
      'is not a private key',
    );
    expect(await checkPrivateKeyFile(write('empty', ''))).toBe('is not a private key');
    const pub = write('id_rsa.pub', 'ssh-rsa AAAAB3NzaC1yc2E user@host\n');
    expect(await checkPrivateKeyFile(pub)).toBe('is not a private key');
    const big = fakeFs({ size: 10 * 1024 * 1024 });
    expect(await checkPrivateKeyFile('/big', { io: big.io })).toBe('is not a private key');
    expect(big.opened()).toBe(0);
  });

  it('bounds the read by what it returns, not by the size the file reports', async () => {
    // A file that says 100 bytes and then never ends (as /proc files do).
    const endless = fakeFs({ size: 100, chunk: 4096 });
    expect(await checkPrivateKeyFile('/endless', { io: endless.io })).toBe('is not a private key');
    expect(endless.bytesRead()).toBeLessThanOrEqual(64 * 1024 + 1);
    expect(endless.closed()).toBe(true);
  });

  it('answers within the timeout when a read hangs (a hung network mount)', async () => {
    const hung = fakeFs({ size: 100, hang: true });
    const started = Date.now();
    expect(await checkPrivateKeyFile('/mnt/nfs/key', { io: hung.io, timeoutMs: 50 })).toBe(
      'cannot read /mnt/nfs/key (it did not answer in time)',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('re-checks the opened file: one swapped for a FIFO after the stat is refused', async () => {
    const swapped = fakeFs({ size: 100, openedIsFile: false });
    expect(await checkPrivateKeyFile('/swapped', { io: swapped.io })).toMatch(
      /is not a regular file/,
    );
    expect(swapped.bytesRead()).toBe(0);
  });

  it('error messages never contain the file content', async () => {
    const secretish = '-----BEGIN NOT A KEY-----\nSUPERSECRETCONTENT\n';
    const message = await checkPrivateKeyFile(write('weird', secretish));
    expect(message).toBe('is not a private key');
    expect(message).not.toContain('SUPERSECRETCONTENT');
  });
});

describe('expandKeyPath', () => {
  it('expands ~ against the home directory', () => {
    expect(expandKeyPath('~/.ssh/id_ed25519', '/home/ann')).toEqual({
      path: '/home/ann/.ssh/id_ed25519',
    });
    expect(expandKeyPath('/etc/keys/../keys/k', '/home/ann')).toEqual({ path: '/etc/keys/k' });
  });

  it('refuses a relative path: the backend has no meaningful working directory', () => {
    expect(expandKeyPath('id_rsa', '/home/ann')).toEqual({
      error: 'must be an absolute path (or start with ~/)',
    });
  });
});

/** A file-system double: one regular file of a reported `size` whose reads are scripted. */
function fakeFs(options: { size: number; chunk?: number; hang?: boolean; openedIsFile?: boolean }) {
  let opened = 0;
  let bytes = 0;
  let closed = false;
  const stats = (isFile: boolean) => ({
    isFile: () => isFile,
    isDirectory: () => false,
    size: options.size,
  });
  const handle: KeyFileHandle = {
    stat: () => Promise.resolve(stats(options.openedIsFile ?? true)),
    read: (buffer, offset, length) => {
      if (options.hang) return new Promise(() => undefined);
      const n = Math.min(length, options.chunk ?? 0);
      buffer.fill(0x61, offset, offset + n);
      bytes += n;
      return Promise.resolve({ bytesRead: n });
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  const io: KeyFileFs = {
    stat: () => Promise.resolve(stats(true)),
    open: () => {
      opened += 1;
      return Promise.resolve(handle);
    },
  };
  return { io, opened: () => opened, bytesRead: () => bytes, closed: () => closed };
}
