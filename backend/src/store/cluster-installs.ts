/**
 * Data access for `cluster_installs`: what an install left behind per cluster (server URL,
 * sandbox, k3s version, node count) and the id of its kubeconfig in `secrets` (ciphertext;
 * the sha256 of the k3s.yaml it was made from tells the kubeconfig step whether it is
 * current without decrypting anything).
 */
import type Database from 'better-sqlite3';

export interface ClusterInstallRow {
  cluster_id: string;
  server_url: string;
  sandbox: string;
  k3s_version: string;
  nodes: number;
  /** JSON `{ servers: string[]; agents: string[] }` of host names in the cluster, join order. */
  members: string;
  kubeconfig_secret_id: string | null;
  kubeconfig_sha256: string | null;
  /** Set when an install run succeeded; null while only partly installed. */
  installed_at: string | null;
}

export interface ClusterInstallsTable {
  get(clusterId: string): ClusterInstallRow | undefined;
  /** Inserts or replaces the cluster's row. */
  put(row: ClusterInstallRow): void;
  delete(clusterId: string): void;
}

export function clusterInstallsTable(db: Database.Database): ClusterInstallsTable {
  const get = db.prepare<[string], ClusterInstallRow>(
    'SELECT * FROM cluster_installs WHERE cluster_id = ?',
  );
  const put = db.prepare<[ClusterInstallRow]>(
    `INSERT OR REPLACE INTO cluster_installs
       (cluster_id, server_url, sandbox, k3s_version, nodes, members, kubeconfig_secret_id,
        kubeconfig_sha256, installed_at)
     VALUES (@cluster_id, @server_url, @sandbox, @k3s_version, @nodes, @members, @kubeconfig_secret_id,
             @kubeconfig_sha256, @installed_at)`,
  );
  const remove = db.prepare<[string]>('DELETE FROM cluster_installs WHERE cluster_id = ?');
  return {
    get: (clusterId) => get.get(clusterId),
    put: (row) => void put.run(row),
    delete: (clusterId) => void remove.run(clusterId),
  };
}
