import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../../../testkit/src/test-support/require-or-skip.ts';
import {
  SECRET_KEY_FILE,
  SecretDecryptError,
  SecretKeyError,
  openFileSecretBox,
} from './secret-box.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-box-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const posix = !requireOrSkip(
  'the file-mode tests (POSIX permissions do not exist on Windows)',
  process.platform !== 'win32',
);

describe('openFileSecretBox', () => {
  it('round-trips secrets, including empty and non-ASCII ones', () => {
    const box = openFileSecretBox({ dataDir: dir });
    expect(box.kind).toBe('aes-256-gcm-file');
    for (const plain of ['hunter2', '', 'pässwörd 🔑', 'x'.repeat(4096)]) {
      const blob = box.encrypt(plain);
      expect(box.decrypt(blob)).toBe(plain);
    }
  });

  it('uses a fresh IV per secret, so equal plaintexts give different blobs', () => {
    const box = openFileSecretBox({ dataDir: dir });
    const a = box.encrypt('same');
    const b = box.encrypt('same');
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    // iv (12) | tag (16) | ciphertext (same length as the UTF-8 plaintext)
    expect(a.length).toBe(12 + 16 + 4);
    expect(a.includes(Buffer.from('same'))).toBe(false);
  });

  it('rejects a tampered blob in every part (iv, tag, ciphertext) and a truncated one', () => {
    const box = openFileSecretBox({ dataDir: dir });
    const blob = box.encrypt('correct horse');
    for (const index of [0, 12, 28, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[index] = (bad[index] ?? 0) ^ 0x01;
      expect(() => box.decrypt(bad)).toThrow(SecretDecryptError);
    }
    expect(() => box.decrypt(blob.subarray(0, 20))).toThrow(SecretDecryptError);
  });

  it('keeps the key across opens and cannot decrypt with another data dir key', () => {
    const blob = openFileSecretBox({ dataDir: dir }).encrypt('persisted');
    expect(openFileSecretBox({ dataDir: dir }).decrypt(blob)).toBe('persisted');
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-box-other-'));
    try {
      expect(() => openFileSecretBox({ dataDir: other }).decrypt(blob)).toThrow(SecretDecryptError);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it.runIf(posix)('creates the key file with mode 0600 and 32 bytes', () => {
    openFileSecretBox({ dataDir: dir });
    const stat = fs.statSync(path.join(dir, SECRET_KEY_FILE));
    expect(stat.mode & 0o777).toBe(0o600);
    expect(stat.size).toBe(32);
  });

  it.runIf(posix)('tightens a key file readable by others to 0600 and says so', () => {
    const blob = openFileSecretBox({ dataDir: dir }).encrypt('kept');
    const file = path.join(dir, SECRET_KEY_FILE);
    fs.chmodSync(file, 0o644);
    const repairs: [string, number][] = [];
    const box = openFileSecretBox({ dataDir: dir, onRepair: (f, m) => repairs.push([f, m]) });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(repairs).toEqual([[file, 0o644]]);
    expect(box.decrypt(blob)).toBe('kept');
  });

  it('refuses when a looser mode cannot be repaired', () => {
    openFileSecretBox({ dataDir: dir });
    const fakeFs = {
      ...fs,
      statSync: () => ({ mode: 0o100644 }),
      chmodSync: () => undefined,
    } as unknown as typeof fs;
    expect(() => openFileSecretBox({ dataDir: dir, fs: fakeFs, platform: 'linux' })).toThrow(
      SecretKeyError,
    );
  });

  it('refuses a key file of the wrong size instead of replacing it', () => {
    const file = path.join(dir, SECRET_KEY_FILE);
    fs.writeFileSync(file, 'short', { mode: 0o600 });
    expect(() => openFileSecretBox({ dataDir: dir })).toThrow(/expected 32 bytes/);
    expect(fs.readFileSync(file, 'utf8')).toBe('short');
  });
});
