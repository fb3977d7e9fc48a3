/**
 * Decides which secret each host column should reference after an add or update, following
 * the write-only rule of the API: an omitted secret keeps the stored one (when the kind did not
 * change), an empty passphrase clears it, a new value replaces it.
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

/** Plans the secrets of a host write; adds field errors for secrets that are required. */
export function planHostSecrets(
  auth: AuthIn,
  sudo: SudoIn,
  previous: HostRow | undefined,
  errors: FieldErrors,
): HostSecretPlan {
  const keepAuth = previous?.auth_kind === auth.kind ? previous.auth_secret_id : null;
  const keepSudo = previous?.sudo_kind === sudo.kind ? previous.sudo_secret_id : null;
  let authPlan: SecretPlan = null;
  if (auth.kind === 'key') {
    authPlan = choose(auth.passphrase, keepAuth);
  } else if (auth.kind === 'password') {
    authPlan = choose(auth.password, keepAuth);
    if (authPlan === null) errors['auth.password'] = 'is required';
  }
  let sudoPlan: SecretPlan = null;
  if (sudo.kind === 'password') {
    sudoPlan = choose(sudo.password, keepSudo);
    if (sudoPlan === null) errors['sudo.password'] = 'is required';
  }
  return { auth: authPlan, sudo: sudoPlan };
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
