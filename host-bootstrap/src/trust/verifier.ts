/**
 * Host-key verification for ssh2. It NEVER accepts an unknown key silently: the key must be in
 * the Nodeless store (accepted by the user) or in the user's `known_hosts`. Otherwise the
 * connection stops with `host-key-unknown` (UI asks for consent) or `host-key-changed` (hard
 * stop naming old and new fingerprints).
 *
 * @see https://github.com/mscdex/ssh2#client-methods — `hostVerifier(key, verify)`
 * @see https://man.openbsd.org/ssh_config#StrictHostKeyChecking — the behaviour we mirror (yes)
 */
import { SshError, type HostKeyDetails } from '../errors/ssh-error.ts';
import { sha256Fingerprint, wireKeyType } from './fingerprint.ts';
import {
  entryMatches,
  knownHostsName,
  parseKnownHosts,
  type KnownHostsEntry,
} from './known-hosts.ts';
import type { KnownHostsStore, StoredHostKey } from './store.ts';

/** Where trusted keys come from. */
export interface TrustSources {
  readonly store: KnownHostsStore;
  /** Parsed entries of the user's known_hosts files (see {@link loadKnownHosts}). */
  readonly knownHosts: readonly KnownHostsEntry[];
}

/** A key known for a host, whichever source it came from. */
export interface KnownKey {
  readonly keyType: string;
  readonly fingerprint: string;
  readonly source: string;
}

/** Trusted and revoked keys for one host. */
export interface KnownKeys {
  readonly trusted: readonly KnownKey[];
  readonly revoked: readonly KnownKey[];
}

/** Result of comparing a presented key with what is known. */
export type KnownStatus = 'trusted' | 'unknown' | 'changed' | 'revoked';

/** Collects the keys known for `host:port` from the store and known_hosts. */
export async function knownKeysFor(
  host: string,
  port: number,
  sources: TrustSources,
): Promise<KnownKeys> {
  const name = knownHostsName(host, port);
  const stored = await sources.store.list(name);
  const trusted: KnownKey[] = stored.map((k: StoredHostKey) => ({
    keyType: k.keyType,
    fingerprint: k.fingerprint,
    source: 'Nodeless',
  }));
  const revoked: KnownKey[] = [];
  for (const entry of sources.knownHosts) {
    if (entry.marker === 'cert-authority') continue; // host certificates: not supported by ssh2
    if (entry.marker === 'revoked') {
      // Revocation applies to the key whatever host it is presented by.
      revoked.push({
        keyType: entry.keyType,
        fingerprint: entry.fingerprint,
        source: entry.source,
      });
      continue;
    }
    if (entryMatches(entry, host, port)) {
      trusted.push({
        keyType: entry.keyType,
        fingerprint: entry.fingerprint,
        source: entry.source,
      });
    }
  }
  return { trusted, revoked };
}

/**
 * Pure verdict: revoked beats everything; a match with any trusted key is `trusted`; any
 * other trusted key for this host makes it `changed`; nothing known is `unknown`.
 */
export function evaluateHostKey(fingerprint: string, known: KnownKeys): KnownStatus {
  if (known.revoked.some((k) => k.fingerprint === fingerprint)) return 'revoked';
  if (known.trusted.some((k) => k.fingerprint === fingerprint)) return 'trusted';
  return known.trusted.length > 0 ? 'changed' : 'unknown';
}

/** Builds the user-facing error for a non-trusted status. */
export function hostKeyError(
  status: Exclude<KnownStatus, 'trusted'>,
  host: string,
  details: HostKeyDetails,
): SshError {
  const name = details.hostPattern;
  if (status === 'unknown') {
    return new SshError(
      'host-key-unknown',
      `${host} presented a host key Nodeless has never seen (${details.keyType} ${details.fingerprint}).`,
      {
        host,
        hostKey: details,
        remedy:
          'Compare this fingerprint with the one shown on the machine itself ' +
          '(`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`) and accept it only if they match.',
      },
    );
  }
  const old = (details.previousFingerprints ?? []).join(', ') || 'none';
  return new SshError(
    'host-key-changed',
    status === 'revoked'
      ? `${host} presented a host key that is marked @revoked in known_hosts (${details.fingerprint}).`
      : `The host key of ${host} has CHANGED. Trusted: ${old}. Presented now: ${details.fingerprint}. ` +
          'Someone could be intercepting the connection, or the machine was reinstalled.',
    {
      host,
      hostKey: details,
      remedy:
        'If you know the machine was reinstalled or its keys regenerated, re-trust it deliberately: ' +
        `remove the stored key in Nodeless (Forget host key) and run \`ssh-keygen -R '${name}'\`, ` +
        'then connect again and accept the new fingerprint. Otherwise do not connect.',
    },
  );
}

/** What a verifier saw, readable after the handshake (or its failure). */
export interface VerifierOutcome {
  details?: HostKeyDetails;
  status?: KnownStatus;
  error?: SshError;
}

/**
 * Creates an ssh2 `hostVerifier` for one host. The verdict is async (store lookup), which
 * ssh2 supports through the `verify` callback. When it rejects, `outcome.error` holds the
 * typed error the caller throws instead of ssh2's generic "Host denied".
 */
export function createHostVerifier(
  host: string,
  port: number,
  sources: TrustSources,
): { verifier: (key: Buffer, verify: (ok: boolean) => void) => void; outcome: VerifierOutcome } {
  const outcome: VerifierOutcome = {};
  const verifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const fingerprint = sha256Fingerprint(key);
    knownKeysFor(host, port, sources).then(
      (known) => {
        const status = evaluateHostKey(fingerprint, known);
        const details: HostKeyDetails = {
          hostPattern: knownHostsName(host, port),
          keyType: wireKeyType(key),
          fingerprint,
          keyBase64: key.toString('base64'),
          previousFingerprints: [...new Set(known.trusted.map((k) => k.fingerprint))],
        };
        outcome.details = details;
        outcome.status = status;
        if (status !== 'trusted') outcome.error = hostKeyError(status, host, details);
        verify(status === 'trusted');
      },
      (err: unknown) => {
        outcome.error = new SshError(
          'host-key-unknown',
          `Cannot read trusted host keys: ${String(err)}`,
          {
            host,
            remedy: 'Check that the Nodeless data directory is readable.',
            cause: err,
          },
        );
        verify(false);
      },
    );
  };
  return { verifier, outcome };
}

/** Reads and parses known_hosts files; missing files are skipped. */
export async function loadKnownHosts(
  paths: readonly string[],
  readFile: (path: string) => Promise<string | undefined>,
): Promise<KnownHostsEntry[]> {
  const all: KnownHostsEntry[] = [];
  for (const path of paths) {
    const text = await readFile(path);
    if (text !== undefined) all.push(...parseKnownHosts(text, path));
  }
  return all;
}

/** Preferred host-key types for a host: those already known, so KEX picks a comparable key. */
export function knownKeyTypes(known: KnownKeys): string[] {
  return [...new Set(known.trusted.map((k) => k.keyType))];
}
