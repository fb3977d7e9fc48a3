/**
 * Data access for `hosts`. Secrets are referenced by id (`auth_secret_id`, `sudo_secret_id`);
 * their ciphertext lives in `secrets`.
 */
import type Database from 'better-sqlite3';

export interface HostRow {
  id: string;
  cluster_id: string;
  address: string;
  port: number;
  user: string;
  role: 'server' | 'agent';
  auth_kind: 'key' | 'agent' | 'password';
  key_path: string | null;
  auth_secret_id: string | null;
  sudo_kind: 'none' | 'passwordless' | 'password';
  sudo_secret_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface HostsTable {
  listAll(): HostRow[];
  listByCluster(clusterId: string): HostRow[];
  get(id: string): HostRow | undefined;
  insert(row: HostRow): void;
  /** Replaces every mutable column of the row with the same id. */
  update(row: HostRow): void;
  delete(id: string): void;
}

const COLUMNS = [
  'id',
  'cluster_id',
  'address',
  'port',
  'user',
  'role',
  'auth_kind',
  'key_path',
  'auth_secret_id',
  'sudo_kind',
  'sudo_secret_id',
  'created_at',
  'updated_at',
] as const;
const MUTABLE = COLUMNS.filter((c) => c !== 'id' && c !== 'cluster_id' && c !== 'created_at');

export function hostsTable(db: Database.Database): HostsTable {
  const order = 'ORDER BY created_at, rowid';
  const listAll = db.prepare<[], HostRow>(`SELECT * FROM hosts ${order}`);
  const byCluster = db.prepare<[string], HostRow>(
    `SELECT * FROM hosts WHERE cluster_id = ? ${order}`,
  );
  const get = db.prepare<[string], HostRow>('SELECT * FROM hosts WHERE id = ?');
  const insert = db.prepare<[HostRow]>(
    `INSERT INTO hosts (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const update = db.prepare<[HostRow]>(
    `UPDATE hosts SET ${MUTABLE.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
  );
  const remove = db.prepare<[string]>('DELETE FROM hosts WHERE id = ?');
  return {
    listAll: () => listAll.all(),
    listByCluster: (clusterId) => byCluster.all(clusterId),
    get: (id) => get.get(id),
    insert: (row) => void insert.run(row),
    update: (row) => void update.run(row),
    delete: (id) => void remove.run(id),
  };
}
