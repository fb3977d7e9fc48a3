/**
 * Recording the user's consent to a host key. The key stored is exactly the one the user saw:
 * the fingerprint shown in the dialog must match the key bytes, or nothing is stored.
 */
import { sha256Fingerprint, wireKeyType } from './fingerprint.ts';
import type { KnownHostsStore } from './store.ts';

/** What the UI sends back after the user accepted a fingerprint (from `probeHostKey`). */
export interface HostKeyConsent {
  /** known_hosts name: `host` or `[host]:port`. */
  readonly hostPattern: string;
  readonly keyBase64: string;
  /** The fingerprint the user was shown. */
  readonly fingerprint: string;
}

/**
 * Stores an accepted host key. Replaces other keys of that host only when `replace` is
 * set — the deliberate re-trust after a key change.
 *
 * @throws Error when the fingerprint does not belong to the key (stale or forged consent)
 */
export async function trustHostKey(
  store: KnownHostsStore,
  consent: HostKeyConsent,
  now: () => number,
  replace = false,
): Promise<void> {
  const wire = Buffer.from(consent.keyBase64, 'base64');
  if (sha256Fingerprint(wire) !== consent.fingerprint) {
    throw new Error('The accepted fingerprint does not match the host key; probe the host again.');
  }
  const keyType = wireKeyType(wire);
  const existing = await store.list(consent.hostPattern);
  if (existing.some((k) => k.fingerprint !== consent.fingerprint)) {
    // Accepting a second key next to a different trusted one would silently bless a change.
    if (!replace) {
      throw new Error(
        `A different key is already trusted for ${consent.hostPattern}; forget it first to re-trust.`,
      );
    }
    await store.remove(consent.hostPattern);
  }
  await store.add({
    hostName: consent.hostPattern,
    keyType,
    keyBase64: consent.keyBase64,
    fingerprint: consent.fingerprint,
    addedAt: now(),
  });
}
