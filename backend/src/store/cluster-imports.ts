/**
 * Data access for `cluster_imports`: clusters imported from a kubeconfig or the demo. The
 * kubeconfig is referenced by its id in `secrets` (ciphertext only).
 */
import type Database from 'better-sqlite3';

export interface ClusterImportRow {
  cluster_id: string;
  source: 'imported' | 'demo';
  /** The kubeconfig context the cluster was imported from. */
  context: string;
  /** Absolute path of the kubeconfig file, when imported from one. */
  file_path: string | null;
  kubeconfig_secret_id: string;
  kubeconfig_sha256: string;
  imported_at: string;
}

export interface ClusterImportsTable {
  list(): ClusterImportRow[];
  get(clusterId: string): ClusterImportRow | undefined;
  findBySource(source: ClusterImportRow['source']): ClusterImportRow[];
  /** Inserts or replaces the cluster's row. */
  put(row: ClusterImportRow): void;
  delete(clusterId: string): void;
}

export function clusterImportsTable(db: Database.Database): ClusterImportsTable {
  const list = db.prepare<[], ClusterImportRow>('SELECT * FROM cluster_imports');
  const get = db.prepare<[string], ClusterImportRow>(
    'SELECT * FROM cluster_imports WHERE cluster_id = ?',
  );
  const bySource = db.prepare<[string], ClusterImportRow>(
    'SELECT * FROM cluster_imports WHERE source = ? ORDER BY imported_at',
  );
  const put = db.prepare<[ClusterImportRow]>(
    `INSERT OR REPLACE INTO cluster_imports
       (cluster_id, source, context, file_path, kubeconfig_secret_id, kubeconfig_sha256, imported_at)
     VALUES (@cluster_id, @source, @context, @file_path, @kubeconfig_secret_id, @kubeconfig_sha256,
             @imported_at)`,
  );
  const remove = db.prepare<[string]>('DELETE FROM cluster_imports WHERE cluster_id = ?');
  return {
    list: () => list.all(),
    get: (clusterId) => get.get(clusterId),
    findBySource: (source) => bySource.all(source),
    put: (row) => void put.run(row),
    delete: (clusterId) => void remove.run(clusterId),
  };
}
