/**
 * Encryption of stored secrets (SSH passwords, key passphrases, sudo passwords).
 *
 * The desktop shell passes a box backed by Electron's safeStorage; web mode uses
 * {@link openFileSecretBox}: AES-256-GCM with a random key kept in a 0600 file in the data
 * directory. Either way the database only ever sees ciphertext.
 *
 * @see https://nodejs.org/api/crypto.html#class-cipheriv — AES-GCM with an auth tag
 * @see https://www.electronjs.org/docs/latest/api/safe-storage — the desktop implementation
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import nodeFs from 'node:fs';
import path from 'node:path';

/** Encrypts and decrypts single secrets. Implementations never log or keep plaintext. */
export interface SecretBox {
  readonly kind: 'safe-storage' | 'aes-256-gcm-file';
  encrypt(plain: string): Buffer;
  /** Throws when the blob was tampered with or was made with another key. */
  decrypt(cipher: Buffer): string;
}

/** Name of the key file inside the data directory. */
export const SECRET_KEY_FILE = 'secret.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The file-system calls the key file needs (injected so modes can be tested). */
export type SecretKeyFs = Pick<
  typeof nodeFs,
  'readFileSync' | 'writeFileSync' | 'statSync' | 'chmodSync' | 'mkdirSync'
>;

export interface FileSecretBoxOptions {
  dataDir: string;
  fs?: SecretKeyFs;
  /** Windows has no POSIX modes; the key is protected by the profile directory's ACL there. */
  platform?: NodeJS.Platform;
  /** Told when a key file with a looser mode (`oldMode`, e.g. 0o644) was tightened to 0600. */
  onRepair?: (file: string, oldMode: number) => void;
}

/** Raised when the key file exists but cannot be used; the message says what to do. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/** Raised when a stored blob does not decrypt (tampered, truncated or another key). */
export class SecretDecryptError extends Error {
  override readonly name = 'SecretDecryptError';
}

/**
 * Opens (creating on first use) the key file `<dataDir>/secret.key` and returns an
 * AES-256-GCM box. A key file readable by group or others is tightened to 0600 before use,
 * because the key is only as private as its file mode.
 */
export function openFileSecretBox(options: FileSecretBoxOptions): SecretBox {
  const key = loadOrCreateKey(options);
  return {
    kind: 'aes-256-gcm-file',
    encrypt(plain) {
      // A fresh random IV per secret: GCM is broken if an IV is ever reused with one key.
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(blob) {
      if (blob.length < IV_BYTES + TAG_BYTES) {
        throw new SecretDecryptError('Stored secret is truncated and cannot be decrypted.');
      }
      const iv = blob.subarray(0, IV_BYTES);
      const tag = blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      try {
        const body = blob.subarray(IV_BYTES + TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretDecryptError(
          'Stored secret cannot be decrypted: it was altered or made with a different secret.key.',
        );
      }
    },
  };
}

/** Alias of {@link openFileSecretBox} (the name `startBackend` wires). */
export const openFileKeySecretBox = openFileSecretBox;

function loadOrCreateKey(options: FileSecretBoxOptions): Buffer {
  const fs = options.fs ?? nodeFs;
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  const posix = (options.platform ?? process.platform) !== 'win32';
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two starting processes cannot overwrite each other's key.
    fs.writeFileSync(file, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
  }
  if (posix) {
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      fs.chmodSync(file, 0o600);
      const now = fs.statSync(file).mode & 0o777;
      if ((now & 0o077) !== 0) {
        throw new SecretKeyError(
          `${file} is readable by other users (mode ${now.toString(8)}) and could not be made 0600; fix its permissions.`,
        );
      }
      options.onRepair?.(file, mode);
    }
  }
  const key = fs.readFileSync(file);
  if (key.length !== KEY_BYTES) {
    throw new SecretKeyError(
      `${file} is not a Nodeless key (expected ${KEY_BYTES} bytes, found ${key.length}). ` +
        'Restore it from a backup; stored secrets cannot be decrypted without it.',
    );
  }
  return key;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
