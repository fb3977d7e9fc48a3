/**
 * Inventory host → engine `HostSpec`. Secrets are decrypted here, in memory only, for the
 * duration of one check or probe; each is registered with the log redactor before it can
 * reach any log line.
 *
 * @see ../../../host-bootstrap/src/onboarding/check-hosts.ts — `HostSpec`
 * @see ../../../host-bootstrap/src/connect/target.ts — `SshTarget`
 */
import type { HostSecrets, HostSpec, SshTarget } from '@nodeless/host-bootstrap';
import type { HostRow } from '../store/hosts.ts';
import type { SecretsTable } from '../store/secrets.ts';

/** The connect target of a host (no secrets). */
export function hostTarget(row: HostRow): SshTarget {
  return {
    host: row.address,
    port: row.port,
    user: row.user,
    ...(row.auth_kind === 'key' && row.key_path ? { keyPath: row.key_path } : {}),
    // Only an "agent" host uses the agent: a key or password host must not succeed (or be
    // locked out after too many attempts) with whatever keys the agent happens to hold.
    useAgent: row.auth_kind === 'agent',
  };
}

/** A host with its secrets revealed; `register` sees every plaintext first. */
export function hostSpec(
  row: HostRow,
  secrets: SecretsTable,
  register: (plain: string) => void,
): HostSpec {
  const reveal = (id: string | null): string | undefined => {
    if (id === null) return undefined;
    const plain = secrets.reveal(id);
    register(plain);
    return plain;
  };
  const auth = reveal(row.auth_secret_id);
  const hostSecrets: HostSecrets =
    auth === undefined
      ? {}
      : row.auth_kind === 'password'
        ? { password: auth }
        : { passphrase: auth };
  const sudoPassword = row.sudo_kind === 'password' ? reveal(row.sudo_secret_id) : undefined;
  return {
    name: row.id,
    role: row.role,
    target: hostTarget(row),
    secrets: hostSecrets,
    ...(sudoPassword !== undefined ? { sudoPassword } : {}),
  };
}
