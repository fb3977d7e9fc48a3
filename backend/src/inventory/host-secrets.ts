/**
 * Decides which secret each host column should reference after an add or update, following
 * the write-only rule of the API: an omitted secret keeps the stored one (when the kind did not
 * change), an empty passphrase clears it, a new value replaces it.
 *
 * Stored secrets are bound to where they were entered (address, port, user). Otherwise an
 * edit could point the host at another SSH server, which would then receive the stored login
 * or sudo password on the next check. When the destination changes, an omitted secret is not
 * kept: it must be given again (or, for the optional passphrase, cleared with "").
 */
import type { HostRow } from '../store/hosts.ts';
import type { SecretsTable } from '../store/secrets.ts';
import type { FieldErrors } from './types.ts';

type AuthIn =
  | { kind: 'key'; keyPath: string; passphrase?: string | undefined }
  | { kind: 'agent' }
  | { kind: 'password'; password?: string | undefined };
type SudoIn =
  { kind: 'none' } | { kind: 'passwordless' } | { kind: 'password'; password?: string | undefined };

/** What to store: either a new plaintext to encrypt, an existing secret id, or nothing. */
export type SecretPlan = { store: string } | { keep: string } | null;

export interface HostSecretPlan {
  auth: SecretPlan;
  sudo: SecretPlan;
}

/** What a host write carries that decides its secrets. */
export interface HostSecretFields {
  address: string;
  port: number;
  user: string;
  auth: AuthIn;
  sudo: SudoIn;
}

/** Shown on each secret that was stored for the old destination and not given again. */
export const REENTER_SECRET =
  'must be entered again: the address, port or user changed, and a stored secret is only used where it was entered';

/** True when `fields` point at another SSH server or account than `previous`. */
export function destinationChanged(
  fields: Pick<HostSecretFields, 'address' | 'port' | 'user'>,
  previous: Pick<HostRow, 'address' | 'port' | 'user'>,
): boolean {
  return (
    fields.address !== previous.address ||
    fields.port !== previous.port ||
    fields.user !== previous.user
  );
}

/** Plans the secrets of a host write; adds field errors for secrets that are required. */
export function planHostSecrets(
  fields: HostSecretFields,
  previous: HostRow | undefined,
  errors: FieldErrors,
): HostSecretPlan {
  const { auth, sudo } = fields;
  const moved = previous !== undefined && destinationChanged(fields, previous);
  const keepAuth = previous?.auth_kind === auth.kind ? previous.auth_secret_id : null;
  const keepSudo = previous?.sudo_kind === sudo.kind ? previous.sudo_secret_id : null;
  let authPlan: SecretPlan = null;
  if (auth.kind === 'key') {
    authPlan = bound(auth.passphrase, keepAuth, moved, 'auth.passphrase', errors);
  } else if (auth.kind === 'password') {
    authPlan = bound(auth.password, keepAuth, moved, 'auth.password', errors);
    if (authPlan === null) errors['auth.password'] ??= 'is required';
  }
  let sudoPlan: SecretPlan = null;
  if (sudo.kind === 'password') {
    sudoPlan = bound(sudo.password, keepSudo, moved, 'sudo.password', errors);
    if (sudoPlan === null) errors['sudo.password'] ??= 'is required';
  }
  return { auth: authPlan, sudo: sudoPlan };
}

/** {@link choose}, except that a stored secret is not carried to another destination. */
function bound(
  value: string | undefined,
  keep: string | null,
  moved: boolean,
  field: string,
  errors: FieldErrors,
): SecretPlan {
  if (value === undefined && keep !== null && moved) {
    errors[field] = REENTER_SECRET;
    return null;
  }
  return choose(value, keep);
}

function choose(value: string | undefined, keep: string | null): SecretPlan {
  if (value === undefined) return keep === null ? null : { keep };
  if (value === '') return null;
  return { store: value };
}

/**
 * Applies a plan inside the caller's transaction: stores new secrets and returns their ids.
 * Call {@link dropReplacedSecrets} after the host row no longer references the old ones.
 */
export function applySecretPlan(plan: SecretPlan, secrets: SecretsTable): string | null {
  if (plan === null) return null;
  return 'keep' in plan ? plan.keep : secrets.put(plan.store);
}

/** Deletes the secrets `previous` referenced that `next` no longer does. */
export function dropReplacedSecrets(
  previous: HostRow,
  next: Pick<HostRow, 'auth_secret_id' | 'sudo_secret_id'> | undefined,
  secrets: SecretsTable,
): void {
  const still = new Set([next?.auth_secret_id, next?.sudo_secret_id]);
  for (const id of [previous.auth_secret_id, previous.sudo_secret_id]) {
    if (id !== null && !still.has(id)) secrets.delete(id);
  }
}
