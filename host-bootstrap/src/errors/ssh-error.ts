/**
 * The one error type the SSH engine throws. Every failure a user can meet while onboarding a
 * machine is mapped to a `kind` the UI can branch on, a plain-words `message` and a `remedy`.
 *
 * @see https://github.com/k0sproject/rig/blob/main/errors.go — k0sctl's typed connection errors
 */

/** What went wrong, coarse enough for the UI to pick a screen (consent dialog, retry, …). */
export type SshErrorKind =
  'auth' | 'host-key-unknown' | 'host-key-changed' | 'unreachable' | 'timeout' | 'sudo' | 'command';

/** Details of a host key, attached to the two host-key kinds. */
export interface HostKeyDetails {
  /** `host` or `[host]:port` as written in known_hosts. */
  readonly hostPattern: string;
  /** Key algorithm, e.g. `ssh-ed25519`. */
  readonly keyType: string;
  /** OpenSSH SHA256 fingerprint of the key the server presented now. */
  readonly fingerprint: string;
  /** Wire-format public key, base64 (what `trustHostKey` stores). */
  readonly keyBase64: string;
  /** For `host-key-changed`: fingerprints previously trusted for this host. */
  readonly previousFingerprints?: readonly string[];
}

/** Options of {@link SshError}. */
export interface SshErrorOptions {
  readonly remedy: string;
  readonly host?: string;
  readonly cause?: unknown;
  readonly hostKey?: HostKeyDetails;
  /** Whether retrying the same operation may succeed (network blips). */
  readonly transient?: boolean;
}

/** A typed, user-presentable SSH engine error. */
export class SshError extends Error {
  override readonly name = 'SshError';
  readonly kind: SshErrorKind;
  readonly remedy: string;
  readonly host: string | undefined;
  readonly hostKey: HostKeyDetails | undefined;
  readonly transient: boolean;

  constructor(kind: SshErrorKind, message: string, options: SshErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.remedy = options.remedy;
    this.host = options.host;
    this.hostKey = options.hostKey;
    this.transient = options.transient ?? false;
  }
}

/** Type guard usable across module boundaries. */
export function isSshError(value: unknown): value is SshError {
  return value instanceof SshError;
}
