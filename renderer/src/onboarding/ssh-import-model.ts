/**
 * "Import from ~/.ssh/config": turns picked config entries into `hosts.add` inputs. Pure.
 *
 * @see https://man.openbsd.org/ssh_config — HostName, User, Port, IdentityFile, ProxyJump
 * @see ../../../backend/src/inventory/schema.ts — `hostFields`, what `hosts.add` accepts.
 */
import type { AddHostInput, HostRole } from '@nodeless/backend/api';
import type { SshConfigHostView } from '@nodeless/backend/api';

/** One line of the import list as the user edits it. */
export interface ImportChoice {
  alias: string;
  selected: boolean;
  role: HostRole;
  /** Login user; prefilled from `User`, editable because ssh would default to the local user. */
  user: string;
}

/** Initial choices: nothing selected; the first entry defaults to server when none exists. */
export function initialChoices(
  entries: readonly SshConfigHostView[],
  hasServer: boolean,
): ImportChoice[] {
  return entries.map((e, i) => ({
    alias: e.alias,
    selected: false,
    role: !hasServer && i === 0 ? 'server' : 'agent',
    user: e.user ?? 'root',
  }));
}

/**
 * The address to store. With a ProxyJump the alias is kept, because the SSH engine resolves
 * aliases through ~/.ssh/config (HostName, Port, ProxyJump) and the jump lives only there;
 * otherwise the real HostName, which later phases also use to reach the machine.
 */
export function importAddress(entry: SshConfigHostView): string {
  return entry.proxyJump ? entry.alias : entry.hostName || entry.alias;
}

/** `hosts.add` input: the key file from IdentityFile, else the SSH agent. */
export function toAddHostInput(
  clusterId: string,
  entry: SshConfigHostView,
  choice: ImportChoice,
): AddHostInput {
  const user = choice.user.trim();
  return {
    clusterId,
    address: importAddress(entry),
    port: entry.port ?? 22,
    user,
    role: choice.role,
    auth: entry.identityFile ? { kind: 'key', keyPath: entry.identityFile } : { kind: 'agent' },
    // root needs no sudo; others get passwordless sudo, editable afterwards if it asks.
    sudo: user === 'root' ? { kind: 'none' } : { kind: 'passwordless' },
  };
}

/** How the entry will sign in, for the list. */
export function describeImportAuth(entry: SshConfigHostView): string {
  return entry.identityFile ? `Key ${entry.identityFile}` : 'SSH agent';
}
