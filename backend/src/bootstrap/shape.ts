/**
 * Install options (API input) → the cluster shape a run stores, with the checks only the
 * server can make: every host belongs to the cluster, none twice, 1 or an odd number of
 * servers. Each problem is a field error naming the option.
 */
import { InputError } from '../inventory/errors.ts';
import type { FieldErrors } from '../inventory/types.ts';
import type { ClusterCheckView } from '../onboarding/types.ts';
import { resolveSandboxChoice } from './defaults.ts';
import type { BootstrapHost } from './hosts.ts';
import type { ClusterShape } from './run-spec.ts';
import type { InstallOptions } from './schema.ts';

export function shapeFromOptions(
  options: InstallOptions,
  hosts: readonly BootstrapHost[],
  report: ClusterCheckView | null,
): ClusterShape {
  const errors: FieldErrors = {};
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const seen = new Set<string>();
  for (const field of ['servers', 'agents'] as const) {
    options[field].forEach((id, i) => {
      if (!byId.has(id)) errors[`options.${field}.${i}`] ??= `no host "${id}" in this cluster`;
      else if (seen.has(id)) errors[`options.${field}.${i}`] ??= 'lists a host twice';
      seen.add(id);
    });
  }
  if (options.servers.length % 2 === 0) {
    errors['options.servers'] ??=
      'choose 1 server, or an odd number (3, 5) for high availability: etcd needs a majority';
  }
  if (Object.keys(errors).length > 0) throw new InputError(errors);
  const first = byId.get(options.servers[0] ?? '') as BootstrapHost;
  const members = [...options.servers, ...options.agents];
  return {
    servers: [...options.servers],
    agents: [...options.agents],
    sandbox: resolveSandboxChoice(options.sandbox, report, members),
    k3sVersion: options.k3sVersion,
    artifacts: options.artifacts,
    serverAddress: first.address,
  };
}
