/**
 * Which clusters Nodeless manages with machines: every cluster without a `cluster_imports` row
 * (created in the inventory, installed or not yet). A cluster imported from a kubeconfig, or the
 * demo, is one Nodeless only watches: its machines are someone else's (or simulated), so adding
 * hosts, checking them or installing onto it would be a mistake the API refuses (409) — with
 * the cluster's name and why, so the window can say it as is.
 *
 * @see ../clusters/workspace-clusters.ts — the import and the demo
 */
import type { ClusterSource } from '../clusters/contract.ts';
import { ConflictError } from '../onboarding/errors.ts';
import type { ClusterRow } from '../store/clusters.ts';
import type { Store } from '../store/store.ts';

/** The cluster's source: `installed` unless it has an import row. */
export function clusterSource(
  store: Pick<Store, 'clusterImports'>,
  clusterId: string,
): ClusterSource {
  return store.clusterImports.get(clusterId)?.source ?? 'installed';
}

/** Refused: the cluster was imported or is the demo; Nodeless does not manage its machines. */
export class UnmanagedClusterError extends ConflictError {
  constructor(
    readonly cluster: Pick<ClusterRow, 'id' | 'name'>,
    readonly source: Exclude<ClusterSource, 'installed'>,
    action: string,
  ) {
    const what =
      source === 'demo'
        ? `Cluster "${cluster.name}" is the demo, a simulated cluster`
        : `Cluster "${cluster.name}" was imported from a kubeconfig`;
    super(
      `${what}: Nodeless does not manage its machines, so it cannot ${action}. ` +
        'Machines are added to, checked and installed onto clusters created in Nodeless.',
    );
    this.name = 'UnmanagedClusterError';
  }
}

/** Throws {@link UnmanagedClusterError} unless Nodeless manages `cluster`'s machines. */
export function assertManaged(
  store: Pick<Store, 'clusterImports'>,
  cluster: Pick<ClusterRow, 'id' | 'name'>,
  action: string,
): void {
  const source = clusterSource(store, cluster.id);
  if (source !== 'installed') throw new UnmanagedClusterError(cluster, source, action);
}
