/**
 * The install form's state and what it turns into: the `InstallOptionsInput` the API takes,
 * and the warnings shown before anything is sent (no server; an even number of servers).
 *
 * @see https://docs.k3s.io/datastore/ha-embedded — an odd number of servers keeps etcd quorum.
 */
import type { InstallOptionsInput, InstallOptionsView, SandboxValue } from '@nodeless/backend/api';

export type HostChoice = 'server' | 'agent' | 'skip';

export interface InstallForm {
  /** Host id → its role in this install, in inventory order. */
  readonly roles: ReadonlyMap<string, HostChoice>;
  readonly sandbox: SandboxValue;
  readonly k3sVersion: string;
  readonly artifacts: 'online' | 'bundle';
  readonly bundlePath: string;
}

/** The form as `bootstrap.defaults` suggests it; hosts it does not name are left out. */
export function formFromDefaults(
  defaults: InstallOptionsView,
  hostIds: readonly string[],
): InstallForm {
  const servers = new Set(defaults.servers);
  const agents = new Set(defaults.agents);
  return {
    roles: new Map(
      hostIds.map((id) => [id, servers.has(id) ? 'server' : agents.has(id) ? 'agent' : 'skip']),
    ),
    sandbox: defaults.sandbox,
    k3sVersion: defaults.k3sVersion,
    artifacts: defaults.artifacts.kind,
    bundlePath: defaults.artifacts.kind === 'bundle' ? defaults.artifacts.path : '',
  };
}

export function optionsOf(form: InstallForm): InstallOptionsInput {
  const servers: string[] = [];
  const agents: string[] = [];
  for (const [id, role] of form.roles) {
    if (role === 'server') servers.push(id);
    else if (role === 'agent') agents.push(id);
  }
  return {
    servers,
    agents,
    sandbox: form.sandbox,
    k3sVersion: form.k3sVersion,
    artifacts:
      form.artifacts === 'online'
        ? { kind: 'online' }
        : { kind: 'bundle', path: form.bundlePath.trim() },
  };
}

export interface FormCheck {
  /** Stops Preview/Install. */
  errors: string[];
  /** Shown, does not stop anything. */
  warnings: string[];
}

export function checkForm(form: InstallForm): FormCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const servers = [...form.roles.values()].filter((r) => r === 'server').length;
  if (servers === 0) errors.push('Choose at least one server: it runs the control plane.');
  else if (servers % 2 === 0)
    warnings.push(
      `${servers} servers: an even number tolerates no more failures than ${servers - 1} ` +
        '(etcd needs a majority). Use 1, 3 or 5 servers.',
    );
  if (form.artifacts === 'bundle' && !form.bundlePath.trim().startsWith('/'))
    errors.push('Give the airgap bundle as an absolute path on this computer (starting with /).');
  return { errors, warnings };
}
