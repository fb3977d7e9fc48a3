/**
 * 005: secrets nothing refers to any more are deleted. Until now, deleting a cluster left its
 * admin kubeconfig behind in `secrets` (its `cluster_installs` row went with the cluster, the
 * ciphertext did not); `clusters.delete` now removes it, and this clears what older versions
 * left. A secret is referenced only from `hosts` (login and sudo) and `cluster_installs`
 * (the kubeconfig); every writer inserts a secret and its reference in one transaction, and
 * migrations run under BEGIN IMMEDIATE, so nothing half-written is lost here.
 */
import type { Migration } from '../migrate.ts';

export const migration005: Migration = {
  version: 5,
  name: 'orphan_secrets',
  up(db) {
    db.exec(`
      DELETE FROM secrets WHERE id NOT IN (
        SELECT auth_secret_id FROM hosts WHERE auth_secret_id IS NOT NULL
        UNION SELECT sudo_secret_id FROM hosts WHERE sudo_secret_id IS NOT NULL
        UNION SELECT kubeconfig_secret_id FROM cluster_installs
              WHERE kubeconfig_secret_id IS NOT NULL
      );
    `);
  },
};
