/**
 * Trusting a host key on the user's word, shared by the API and the CLI: the live key is
 * probed again and stored only when it still has exactly the fingerprint the user accepted;
 * replacing a different trusted key needs `replace` (the deliberate re-trust after "changed").
 *
 * @see ../../../host-bootstrap/src/trust/consent.ts — `trustHostKey`, which stores the key
 * @see ../../../host-bootstrap/src/connect/open.ts — `probeHostKey`
 */
import {
  probeHostKey,
  trustHostKey,
  type ConnectOptions,
  type ConnectDeps,
  type KnownHostsStore,
  type SshTarget,
} from '@nodeless/host-bootstrap';
import { ConflictError } from './errors.ts';

export interface TrustRequest {
  target: SshTarget;
  fingerprint: string;
  replace: boolean;
}

export interface TrustDeps {
  store: KnownHostsStore;
  connect: ConnectDeps;
  options: ConnectOptions;
  now: () => number;
}

/** What happened: stored now, or it was already trusted (by Nodeless or ~/.ssh/known_hosts). */
export type TrustOutcome = 'stored' | 'already-trusted';

/**
 * @throws ConflictError when the live key differs, is revoked, or replaces another without `replace`
 * @throws SshError when the host cannot be reached
 */
export async function trustLiveHostKey(req: TrustRequest, deps: TrustDeps): Promise<TrustOutcome> {
  const probe = await probeHostKey(req.target, deps.options, deps.connect);
  if (probe.fingerprint !== req.fingerprint) {
    throw new ConflictError(
      `${req.target.host} now presents the host key ${probe.fingerprint}, not ${req.fingerprint}. ` +
        'Nothing was trusted. Check the host again and compare the new fingerprint before trusting it.',
    );
  }
  if (probe.knownStatus === 'trusted') return 'already-trusted';
  if (probe.knownStatus === 'revoked') {
    throw new ConflictError(
      `The host key ${probe.fingerprint} of ${req.target.host} is marked @revoked in your known_hosts. ` +
        'It cannot be trusted; remove the @revoked line first if the revocation was a mistake.',
    );
  }
  if (probe.knownStatus === 'changed' && !req.replace) {
    throw new ConflictError(
      `A different key (${probe.previousFingerprints.join(', ')}) is trusted for ${req.target.host}. ` +
        'Trust the new key with replace only if you know the machine was reinstalled or its keys regenerated.',
    );
  }
  await trustHostKey(
    deps.store,
    { hostPattern: probe.hostPattern, keyBase64: probe.keyBase64, fingerprint: probe.fingerprint },
    deps.now,
    req.replace,
  );
  return 'stored';
}
