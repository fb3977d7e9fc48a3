/**
 * Opening SSH connections: one hop at a time through the jump chain (ssh2 `forwardOut` gives
 * the stream the next hop runs over), host keys verified on EVERY hop, typed errors, and
 * retries with backoff for transient failures only.
 *
 * @see https://github.com/mscdex/ssh2#connection-hopping — `forwardOut` + `sock`
 * @see https://man.openbsd.org/ssh_config#ProxyJump
 */
import type { Readable } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { SshError, isSshError } from '../errors/ssh-error.ts';
import { hostKeyAlgorithmsFor } from '../trust/fingerprint.ts';
import {
  createHostVerifier,
  knownKeyTypes,
  knownKeysFor,
  type TrustSources,
  type VerifierOutcome,
} from '../trust/verifier.ts';
import { buildAuthPlan, type AuthPlan } from './auth.ts';
import { wrapConnection, type SshConnection } from './connection.ts';
import { defaultRetryPolicy, withRetry, type RetryDeps, type RetryPolicy } from './retry.ts';
import {
  resolveTarget,
  type HostSecrets,
  type ResolveEnv,
  type ResolvedHop,
  type SshTarget,
} from './target.ts';

/** Time limits of a connection. */
export interface Timeouts {
  /** SSH handshake + auth per hop (ssh2 `readyTimeout`). */
  readonly connectMs: number;
  /** Default limit of one command. */
  readonly commandMs: number;
}

/** SSH-level keepalive: a dead peer is detected after `intervalMs * countMax`. */
export interface Keepalive {
  readonly intervalMs: number;
  readonly countMax: number;
}

/** Effects the connector uses; inject fakes in tests. */
export interface ConnectDeps {
  readonly resolveEnv: ResolveEnv;
  readonly readFile: (path: string) => Promise<Buffer>;
  /** Creates an ssh2 client (tests may wrap it). */
  readonly newClient?: () => Client;
  readonly retryDeps: RetryDeps;
}

/** Options of {@link openConnection}. */
export interface ConnectOptions {
  readonly trust: TrustSources;
  readonly secrets?: HostSecrets;
  readonly timeouts?: Partial<Timeouts>;
  readonly keepalive?: Partial<Keepalive>;
  readonly retry?: RetryPolicy;
}

const SUPPORTED_HOST_KEY_ALGOS = new Set<string>([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]);

export const defaultTimeouts: Timeouts = { connectMs: 20_000, commandMs: 120_000 };
export const defaultKeepalive: Keepalive = { intervalMs: 10_000, countMax: 3 };

/** Maps a raw ssh2/socket error of one hop to a typed SshError. */
export function classifyConnectError(
  err: unknown,
  hop: ResolvedHop,
  plan: AuthPlan | undefined,
  via: string,
): SshError {
  if (isSshError(err)) return err;
  const e = err as Error & { code?: string; level?: string };
  const where = `${hop.alias}${hop.alias !== hop.hostName ? ` (${hop.hostName}:${hop.port})` : `:${hop.port}`}${via}`;
  const msg = e?.message ?? String(err);
  if (e?.level === 'client-authentication') {
    const tried = plan?.methods.join(', ') || 'none available';
    const notes = plan && plan.notes.length > 0 ? ` Notes: ${plan.notes.join('; ')}` : '';
    return new SshError(
      'auth',
      `${where} refused the login as "${hop.user}" (tried: ${tried}).${notes}`,
      {
        host: hop.alias,
        cause: err,
        remedy:
          'Check the user name and the key or password. For a key, its public half must be in ' +
          `~${hop.user}/.ssh/authorized_keys on the machine.`,
      },
    );
  }
  if (e?.level === 'client-timeout' || e?.code === 'ETIMEDOUT' || /timed out/i.test(msg)) {
    return new SshError('timeout', `No SSH answer from ${where} in time.`, {
      host: hop.alias,
      cause: err,
      transient: true,
      remedy:
        'Check that the machine is on, the address is right and no firewall drops port ' +
        `${hop.port}.`,
    });
  }
  const code = e?.code ?? '';
  const transient = [
    'ECONNREFUSED',
    'ECONNRESET',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EPIPE',
    'EAI_AGAIN',
  ].includes(code);
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused (is sshd running on that port?)'
      : code === 'ENOTFOUND'
        ? 'the host name does not resolve'
        : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
          ? 'there is no route to it'
          : msg;
  return new SshError('unreachable', `Cannot reach ${where}: ${reason}.`, {
    host: hop.alias,
    cause: err,
    transient: transient || /connect failed|channel open failure|connection refused/i.test(msg),
    remedy: 'Check the address and port, that the machine is up and that sshd listens there.',
  });
}

function forwardThrough(client: Client, hop: ResolvedHop): Promise<Readable> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (err, stream) => {
      if (err) reject(err);
      else resolve(stream);
    });
  });
}

/** Connects one hop over `sock` (or TCP) and resolves when authenticated. */
async function connectHop(
  hop: ResolvedHop,
  sock: Readable | undefined,
  options: ConnectOptions,
  deps: ConnectDeps,
  via: string,
  handshakeOnly?: VerifierOutcome,
): Promise<Client> {
  const known = await knownKeysFor(hop.hostName, hop.port, options.trust);
  const plan = handshakeOnly ? undefined : await buildAuthPlan(hop, deps.readFile);
  const { verifier, outcome } = createHostVerifier(hop.hostName, hop.port, options.trust);
  const timeouts = { ...defaultTimeouts, ...options.timeouts };
  const keepalive = { ...defaultKeepalive, ...options.keepalive };
  // Like OpenSSH, prefer the key types already known for this host so that a host with a
  // trusted ECDSA key is not reported "changed" because Ed25519 got negotiated.
  const preferred = knownKeyTypes(known)
    .flatMap(hostKeyAlgorithmsFor)
    .filter((a): a is ServerHostKeyAlgorithm => SUPPORTED_HOST_KEY_ALGOS.has(a));
  const config: ConnectConfig = {
    host: hop.hostName,
    port: hop.port,
    username: hop.user,
    readyTimeout: timeouts.connectMs,
    keepaliveInterval: keepalive.intervalMs,
    keepaliveCountMax: keepalive.countMax,
    hostVerifier: handshakeOnly
      ? (key: Buffer, verify: (ok: boolean) => void) =>
          verifier(key, () => {
            Object.assign(handshakeOnly, outcome);
            verify(false);
          })
      : verifier,
    authHandler: plan?.attempts ?? [],
    ...(sock ? { sock } : {}),
    ...(preferred.length > 0
      ? // ssh2 applies these in key order: remove, then prepend, so known types move first.
        { algorithms: { serverHostKey: { remove: preferred, prepend: preferred, append: [] } } }
      : {}),
  };
  const client = deps.newClient?.() ?? new ssh2.Client();
  return new Promise<Client>((resolve, reject) => {
    const onError = (err: Error & { level?: string }) => {
      // ssh2 reports an unusable agent (stale SSH_AUTH_SOCK) as an error but goes on with
      // the next method: note it for the auth failure message instead of giving up.
      if (err.level === 'agent') {
        plan?.notes.push(`ssh-agent unusable (${err.message})`);
        return;
      }
      client.removeListener('error', onError);
      client.removeListener('ready', onReady);
      client.end();
      reject(outcome.error ?? classifyConnectError(err, hop, plan, via));
    };
    const onReady = () => {
      client.removeListener('error', onError);
      // Later errors are handled by the connection wrapper; keep a listener so none is unhandled.
      client.on('error', () => undefined);
      resolve(client);
    };
    client.on('error', onError);
    client.once('ready', onReady);
    client.connect(config);
  });
}

/** Opens the whole chain once (no retry). */
async function openOnce(
  hops: readonly ResolvedHop[],
  options: ConnectOptions,
  deps: ConnectDeps,
  handshakeOnly?: VerifierOutcome,
): Promise<Client[]> {
  const clients: Client[] = [];
  try {
    for (const [i, hop] of hops.entries()) {
      const prev = clients[i - 1];
      const via = prev ? ` via ${hops[i - 1]?.alias ?? 'jump host'}` : '';
      let sock: Readable | undefined;
      if (prev) {
        try {
          sock = await forwardThrough(prev, hop);
        } catch (err) {
          throw classifyConnectError(err, hop, undefined, via);
        }
      }
      const last = i === hops.length - 1;
      clients.push(
        await connectHop(hop, sock, options, deps, via, last ? handshakeOnly : undefined),
      );
    }
    return clients;
  } catch (err) {
    for (const c of clients.reverse()) c.end();
    throw err;
  }
}

/**
 * Opens an authenticated connection to `target` (through its jump hosts), verifying every
 * host key against `options.trust`. Transient failures are retried per `options.retry`;
 * authentication and host-key failures fail at once.
 *
 * @throws SshError of kind `auth`, `host-key-unknown`, `host-key-changed`, `unreachable`, `timeout`
 */
export async function openConnection(
  target: SshTarget,
  options: ConnectOptions,
  deps: ConnectDeps,
): Promise<SshConnection> {
  const hops = resolveTarget(target, deps.resolveEnv, options.secrets);
  const last = hops[hops.length - 1] as ResolvedHop;
  const clients = await withRetry(
    () => openOnce(hops, options, deps),
    options.retry ?? defaultRetryPolicy,
    deps.retryDeps,
  );
  return wrapConnection(
    target.host,
    last.user,
    clients,
    { ...defaultTimeouts, ...options.timeouts }.commandMs,
  );
}

/** What {@link probeHostKey} learned. */
export interface HostKeyProbe {
  readonly host: string;
  readonly hostPattern: string;
  readonly fingerprint: string;
  readonly keyType: string;
  readonly keyBase64: string;
  readonly knownStatus: 'trusted' | 'unknown' | 'changed' | 'revoked';
  readonly previousFingerprints: readonly string[];
}

/**
 * Learns the host key of `target` WITHOUT logging in (jump hosts, if any, are logged into and
 * must be trusted already), so the UI can show the fingerprint for consent.
 */
export async function probeHostKey(
  target: SshTarget,
  options: ConnectOptions,
  deps: ConnectDeps,
): Promise<HostKeyProbe> {
  const hops = resolveTarget(target, deps.resolveEnv, options.secrets);
  const outcome: VerifierOutcome = {};
  const attempt = async () => {
    try {
      const clients = await openOnce(hops, options, deps, outcome);
      for (const c of clients.reverse()) c.end();
    } catch (err) {
      if (!outcome.details) throw err;
    }
  };
  await withRetry(attempt, options.retry ?? defaultRetryPolicy, deps.retryDeps);
  const d = outcome.details;
  if (!d || !outcome.status) {
    throw new SshError(
      'unreachable',
      `${target.host} closed the connection before showing its host key.`,
      {
        host: target.host,
        remedy: 'Check that an SSH server (not another service) listens on that port.',
      },
    );
  }
  return {
    host: target.host,
    hostPattern: d.hostPattern,
    fingerprint: d.fingerprint,
    keyType: d.keyType,
    keyBase64: d.keyBase64,
    knownStatus: outcome.status,
    previousFingerprints: d.previousFingerprints ?? [],
  };
}
