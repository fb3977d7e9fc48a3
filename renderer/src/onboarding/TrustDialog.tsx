/**
 * Fingerprint consent (issue 5, point 2): shows the SHA256 fingerprint exactly as OpenSSH
 * prints it and how to check it on the machine itself. A changed key is a loud warning with
 * both fingerprints, and replacing it takes a deliberate "I verified" tick.
 *
 * @see https://man.openbsd.org/ssh-keygen#l — `ssh-keygen -lf` prints the same `SHA256:` form
 */
import { useState } from 'react';
import { Dialog } from '../ui/Dialog.tsx';
import type { HostCheckView, HostKeyView } from '@nodeless/backend/api';
import { WarnIcon } from './status-icons.tsx';

/** The host key file sshd serves for a key type (what to fingerprint on the console). */
export function hostKeyFile(keyType: string): string {
  const t = keyType.toLowerCase();
  const kind = t.includes('ed25519')
    ? 'ed25519'
    : t.includes('ecdsa')
      ? 'ecdsa'
      : t.includes('rsa')
        ? 'rsa'
        : t.replace(/^ssh-/, '');
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}

/** Inputs of {@link TrustDialog}. */
export interface TrustDialogProps {
  host: HostCheckView & { hostKey: HostKeyView };
  /** `address:port` as the user typed it. */
  name: string;
  /** "2 of 3" when several hosts wait. */
  position?: string | undefined;
  pending: boolean;
  error: string | null;
  onAccept(replace: boolean): void;
  onReject(): void;
}

/** The consent dialog for one host key (see the file comment). */
export function TrustDialog(props: TrustDialogProps) {
  const { host, name, position, pending, error, onAccept, onReject } = props;
  const key = host.hostKey;
  const changed = key.status === 'changed';
  const [verified, setVerified] = useState(false);
  const title = changed ? `The host key of ${name} has changed` : `Trust the host key of ${name}?`;
  return (
    <Dialog title={title} onClose={onReject} wide>
      <div className="dialog-body trust">
        {position ? <p className="muted small">Host {position}</p> : null}
        {changed ? (
          <div className="callout callout-block" role="alert">
            <WarnIcon label="Warning" />
            <div>
              <p>
                <strong>Do not continue unless you know why the key changed.</strong> A new key is
                expected after reinstalling the machine or regenerating its SSH keys. Otherwise
                someone may be intercepting the connection.
              </p>
            </div>
          </div>
        ) : (
          <p>
            This is the first time Nodeless connects to <strong>{name}</strong>. Check that the
            fingerprint below is really this machine&apos;s before trusting it.
          </p>
        )}
        <dl className="key-facts">
          <dt>Key type</dt>
          <dd className="mono">{key.keyType}</dd>
          {changed ? (
            <>
              <dt>Trusted before</dt>
              <dd>
                {key.knownFingerprints.map((f) => (
                  <code key={f} className="fingerprint old" data-testid="known-fingerprint">
                    {f}
                  </code>
                ))}
              </dd>
            </>
          ) : null}
          <dt>{changed ? 'Presented now' : 'Fingerprint'}</dt>
          <dd>
            <code className="fingerprint" data-testid="fingerprint">
              {key.fingerprint}
            </code>
          </dd>
        </dl>
        <div className="howto">
          <p>
            <strong>How to verify:</strong> on the machine&apos;s own console (not over this
            network), run
          </p>
          <pre className="mono">ssh-keygen -lf {hostKeyFile(key.keyType)}</pre>
          <p className="muted small">
            It prints the fingerprint in the same <span className="mono">SHA256:…</span> form; every
            character must match.
          </p>
        </div>
        {changed ? (
          <label className="check verify">
            <input
              type="checkbox"
              checked={verified}
              onChange={(e) => setVerified(e.target.checked)}
            />
            I verified the new fingerprint on the machine itself
          </label>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <footer className="dialog-actions">
        <button type="button" onClick={onReject} autoFocus>
          {changed ? 'Keep refusing' : 'Reject'}
        </button>
        <button
          type="button"
          className={changed ? 'danger' : 'primary'}
          disabled={pending || (changed && !verified)}
          onClick={() => onAccept(changed)}
        >
          {pending ? 'Trusting…' : changed ? 'Replace the trusted key' : 'Trust this key'}
        </button>
      </footer>
    </Dialog>
  );
}
