/**
 * 006: clusters Nodeless did not install — imported from a kubeconfig (a file or pasted text)
 * or the demo. One row per such cluster beside its `clusters` row (a cluster without one is an
 * installed cluster, whose kubeconfig lives in `cluster_installs`). The kubeconfig itself is
 * ENCRYPTED in `secrets`; here only its id, the chosen context, the file it came from (so the
 * connection can re-read it when it changes) and the sha256 of the text (is it current?
 * without decrypting). Deleting the cluster deletes the row (ON DELETE CASCADE) and the store's
 * cluster delete removes the secret in the same transaction.
 */
import type { Migration } from '../migrate.ts';

export const migration006: Migration = {
  version: 6,
  name: 'cluster_imports',
  up(db) {
    db.exec(`
      CREATE TABLE cluster_imports (
        cluster_id TEXT PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (source IN ('imported', 'demo')),
        context TEXT NOT NULL,
        file_path TEXT,
        kubeconfig_secret_id TEXT NOT NULL REFERENCES secrets(id),
        kubeconfig_sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
