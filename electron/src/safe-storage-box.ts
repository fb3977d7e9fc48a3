/**
 * Desktop secrets: a SecretBox backed by Electron's safeStorage (Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux). The backend never imports Electron; it receives this
 * adapter through `startBackend({ secretBox })`.
 *
 * @see https://www.electronjs.org/docs/latest/api/safe-storage
 */
import type { SecretBox } from '@nodeless/backend';

/** The part of Electron's `safeStorage` this adapter needs (injected, so it is testable). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * Returns a safeStorage-backed box, or undefined when the OS offers no real keyring. On Linux
 * without a keyring safeStorage falls back to a hard-coded key ('basic_text'), which is not
 * encryption worth the name; the backend then keeps its AES-256-GCM file key instead.
 */
export function safeStorageBox(safeStorage: SafeStorageLike): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') return undefined;
  return {
    kind: 'safe-storage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}
