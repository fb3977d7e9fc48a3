import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './origin.ts';
import { desktopPaths } from './paths.ts';
import { safeStorageBox, type SafeStorageLike } from './safe-storage-box.ts';

describe('isSameOrigin', () => {
  const origin = 'http://127.0.0.1:4000';
  it('accepts paths on the backend origin', () => {
    expect(isSameOrigin('http://127.0.0.1:4000/clusters?x=1', origin)).toBe(true);
  });
  it('refuses another port, host or scheme, and garbage', () => {
    expect(isSameOrigin('http://127.0.0.1:4001/', origin)).toBe(false);
    expect(isSameOrigin('http://localhost:4000/', origin)).toBe(false);
    expect(isSameOrigin('https://127.0.0.1:4000/', origin)).toBe(false);
    expect(isSameOrigin('javascript:alert(1)', origin)).toBe(false);
    expect(isSameOrigin('not a url', origin)).toBe(false);
  });
});

describe('desktopPaths', () => {
  it('keeps the Electron build of better-sqlite3 outside node_modules', () => {
    const dev = desktopPaths({ packaged: false, resourcesPath: '/r', appPath: '/repo' });
    expect(dev.sqliteBinding).toBe('/repo/out/electron-native/better_sqlite3.node');
    expect(dev.rendererDir).toBe('/repo/renderer/dist');
    const packaged = desktopPaths({ packaged: true, resourcesPath: '/r', appPath: '/app.asar' });
    expect(packaged.sqliteBinding).toBe('/r/electron-native/better_sqlite3.node');
    expect(packaged.rendererDir).toBe('/r/renderer');
  });
});

describe('safeStorageBox', () => {
  const fake = (available: boolean, backend?: string): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(s, 'utf8').reverse(),
    decryptString: (b) => Buffer.from(b).reverse().toString('utf8'),
    getSelectedStorageBackend: backend === undefined ? undefined : () => backend,
  });
  it('round-trips through safeStorage when a keyring is available', () => {
    const box = safeStorageBox(fake(true, 'gnome_libsecret'));
    expect(box?.kind).toBe('safe-storage');
    const cipher = box?.encrypt('s3cret') ?? Buffer.alloc(0);
    expect(cipher.toString('utf8')).not.toContain('s3cret');
    expect(box?.decrypt(cipher)).toBe('s3cret');
  });
  it('declines when safeStorage is unavailable or only obfuscates (basic_text)', () => {
    expect(safeStorageBox(fake(false))).toBeUndefined();
    expect(safeStorageBox(fake(true, 'basic_text'))).toBeUndefined();
  });
});
