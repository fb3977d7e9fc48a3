/**
 * The Add/Edit host form as plain data, and its conversion to the API input. Pure, so the
 * rules about secrets (never prefilled; empty on edit = keep the stored one) are testable.
 *
 * @see ../../../backend/src/inventory/schema.ts — `hostFields`, `authInput`, `sudoInput`.
 */
import type { AddHostInput, HostRole, HostView } from '@nodeless/backend/api';

export type AuthKind = 'key' | 'agent' | 'password';
export type SudoKind = 'none' | 'passwordless' | 'password';

export interface HostFormState {
  address: string;
  port: string;
  user: string;
  role: HostRole;
  authKind: AuthKind;
  keyPath: string;
  passphrase: string;
  /** Edit only: remove the stored passphrase (the key is not encrypted any more). */
  clearPassphrase: boolean;
  password: string;
  sudoKind: SudoKind;
  sudoPassword: string;
}

/** What is already stored for an edited host; drives the "stored — leave empty" hints. */
export interface StoredSecrets {
  passphrase: boolean;
  password: boolean;
  sudoPassword: boolean;
}

export type HostFields = Omit<AddHostInput, 'clusterId'>;

export const DEFAULT_KEY_PATH = '~/.ssh/id_ed25519';

export function initialHostForm(host: HostView | undefined, defaultRole: HostRole): HostFormState {
  const empty: HostFormState = {
    address: '',
    port: '22',
    user: 'root',
    role: defaultRole,
    authKind: 'key',
    keyPath: DEFAULT_KEY_PATH,
    passphrase: '',
    clearPassphrase: false,
    password: '',
    sudoKind: 'none',
    sudoPassword: '',
  };
  if (!host) return empty;
  return {
    ...empty,
    address: host.address,
    port: String(host.port),
    user: host.user,
    role: host.role,
    authKind: host.auth.kind,
    keyPath: host.auth.kind === 'key' ? host.auth.keyPath : DEFAULT_KEY_PATH,
    sudoKind: host.sudo.kind,
  };
}

export function storedSecrets(host: HostView | undefined): StoredSecrets {
  return {
    passphrase: host?.auth.kind === 'key' && host.auth.passphraseSet,
    password: host?.auth.kind === 'password' && host.auth.passwordSet,
    sudoPassword: host?.sudo.kind === 'password' && host.sudo.passwordSet,
  };
}

/**
 * True when the edited form points at another SSH server or account (address, port or user)
 * than the stored host. The backend keeps no stored secret across such a change (the new
 * server would receive it), so the form asks for each one again instead of offering to keep it.
 */
export function destinationChanged(form: HostFormState, host: HostView | undefined): boolean {
  if (!host) return false;
  return (
    form.address.trim() !== host.address ||
    Number(form.port.trim()) !== host.port ||
    form.user.trim() !== host.user
  );
}

/**
 * Checks the backend cannot do for us: the port box is text (so what the user typed is what
 * we judge), and a non-number must not silently become 0 on the wire.
 */
export function localFieldErrors(form: HostFormState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^\s*\d+\s*$/.test(form.port)) errors.port = 'must be a whole number between 1 and 65535';
  return errors;
}

/** Builds the API input. Empty secret boxes are omitted: on add "none", on edit "keep". */
export function toHostFields(form: HostFormState, editing: boolean): HostFields {
  const secret = (v: string): string | undefined => (v === '' ? undefined : v);
  let auth: HostFields['auth'];
  switch (form.authKind) {
    case 'key': {
      const passphrase =
        editing && form.clearPassphrase && form.passphrase === '' ? '' : secret(form.passphrase);
      auth = {
        kind: 'key',
        keyPath: form.keyPath,
        ...(passphrase !== undefined ? { passphrase } : {}),
      };
      break;
    }
    case 'agent':
      auth = { kind: 'agent' };
      break;
    case 'password': {
      const password = secret(form.password);
      auth = { kind: 'password', ...(password !== undefined ? { password } : {}) };
      break;
    }
  }
  let sudo: HostFields['sudo'];
  if (form.sudoKind === 'password') {
    const password = secret(form.sudoPassword);
    sudo = { kind: 'password', ...(password !== undefined ? { password } : {}) };
  } else {
    sudo = { kind: form.sudoKind };
  }
  return {
    address: form.address.trim(),
    port: Number(form.port.trim()),
    user: form.user.trim(),
    role: form.role,
    auth,
    sudo,
  };
}

/** Short text for the hosts table, e.g. "Key ~/.ssh/id_ed25519 (passphrase stored)". */
export function describeAuth(auth: HostView['auth']): string {
  switch (auth.kind) {
    case 'key':
      return `Key ${auth.keyPath}${auth.passphraseSet ? ' (passphrase stored)' : ''}`;
    case 'agent':
      return 'SSH agent';
    case 'password':
      return auth.passwordSet ? 'Password (stored)' : 'Password (not set)';
  }
}

export function describeSudo(sudo: HostView['sudo']): string {
  switch (sudo.kind) {
    case 'none':
      return 'Not used';
    case 'passwordless':
      return 'Passwordless';
    case 'password':
      return sudo.passwordSet ? 'Password (stored)' : 'Password (not set)';
  }
}
