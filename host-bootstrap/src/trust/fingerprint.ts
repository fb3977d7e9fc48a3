/**
 * Host-key fingerprints in OpenSSH's format: `SHA256:` + unpadded base64 of the SHA-256 of the
 * wire-format public key — exactly what `ssh-keygen -lf` and the ssh client print, so users
 * can compare them with what their admin gave them.
 *
 * @see https://github.com/openssh/openssh-portable/blob/master/sshkey.c — sshkey_fingerprint()
 * @see https://www.rfc-editor.org/rfc/rfc4253#section-6.6 — public key wire format
 */
import { createHash } from 'node:crypto';

/** `SHA256:…` fingerprint of a wire-format public key blob. */
export function sha256Fingerprint(wireKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(wireKey).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The key type stored in the first field of a wire-format key (`ssh-ed25519`, `ssh-rsa`,
 * `ecdsa-sha2-nistp256`, …), or `unknown` if the blob is malformed.
 */
export function wireKeyType(wireKey: Buffer): string {
  if (wireKey.length < 4) return 'unknown';
  const len = wireKey.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > wireKey.length) return 'unknown';
  return wireKey.subarray(4, 4 + len).toString('latin1');
}

/**
 * Host-key algorithms (as negotiated in KEX) that produce a key of this type. RSA keys are
 * offered through the SHA-2 signature algorithms first (ssh-rsa/SHA-1 is disabled on modern
 * servers).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8332 — rsa-sha2-256/512
 */
export function hostKeyAlgorithmsFor(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [keyType];
}
