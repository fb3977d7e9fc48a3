/**
 * Data access for `clusters`. Plain rows in, plain rows out; no business rules here.
 */
import type Database from 'better-sqlite3';

export interface ClusterRow {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ClustersTable {
  list(): ClusterRow[];
  get(id: string): ClusterRow | undefined;
  findByName(name: string): ClusterRow | undefined;
  insert(row: ClusterRow): void;
  rename(id: string, name: string, updatedAt: string): void;
  touch(id: string, updatedAt: string): void;
  delete(id: string): void;
}

export function clustersTable(db: Database.Database): ClustersTable {
  const list = db.prepare<[], ClusterRow>('SELECT * FROM clusters ORDER BY name, created_at');
  const get = db.prepare<[string], ClusterRow>('SELECT * FROM clusters WHERE id = ?');
  const byName = db.prepare<[string], ClusterRow>('SELECT * FROM clusters WHERE name = ?');
  const insert = db.prepare<[ClusterRow]>(
    'INSERT INTO clusters (id, name, created_at, updated_at) VALUES (@id, @name, @created_at, @updated_at)',
  );
  const rename = db.prepare<[string, string, string]>(
    'UPDATE clusters SET name = ?, updated_at = ? WHERE id = ?',
  );
  const touch = db.prepare<[string, string]>('UPDATE clusters SET updated_at = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM clusters WHERE id = ?');
  return {
    list: () => list.all(),
    get: (id) => get.get(id),
    findByName: (name) => byName.get(name),
    insert: (row) => void insert.run(row),
    rename: (id, name, updatedAt) => void rename.run(name, updatedAt, id),
    touch: (id, updatedAt) => void touch.run(updatedAt, id),
    delete: (id) => void remove.run(id),
  };
}
