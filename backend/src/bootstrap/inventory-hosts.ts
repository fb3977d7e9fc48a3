/**
 * The app's host source for bootstrap runs: the cluster's inventory hosts, with secrets
 * decrypted in memory (registered with the redactor first) exactly as onboarding does.
 *
 * @see ../onboarding/host-specs.ts
 */
import { hostSpec } from '../onboarding/host-specs.ts';
import type { HostRow } from '../store/hosts.ts';
import type { Store } from '../store/store.ts';
import type { BootstrapHost } from './hosts.ts';

export function hostLabel(row: Pick<HostRow, 'address' | 'port'>): string {
  return row.port === 22 ? row.address : `${row.address}:${row.port}`;
}

export function inventoryHosts(
  store: Store,
  register: (plain: string) => void,
): (clusterId: string) => BootstrapHost[] {
  return (clusterId) =>
    store.hosts.listByCluster(clusterId).map((row) => ({
      id: row.id,
      label: hostLabel(row),
      address: row.address,
      role: row.role,
      spec: hostSpec(row, store.secrets, register),
    }));
}
