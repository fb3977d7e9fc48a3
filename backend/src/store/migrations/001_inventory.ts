/**
 * 001: the inventory (clusters, hosts), encrypted secrets, settings and trusted SSH host keys.
 * Runs, steps, logs and the usage ledger arrive in later migrations with their features.
 */
import type { Migration } from '../migrate.ts';

export const migration001: Migration = {
  version: 1,
  name: 'inventory',
  up(db) {
    db.exec(`
      CREATE TABLE secrets (
        id TEXT PRIMARY KEY,
        box_kind TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE clusters (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE hosts (
        id TEXT PRIMARY KEY,
        cluster_id TEXT NOT NULL REFERENCES clusters(id),
        address TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        user TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('server', 'agent')),
        auth_kind TEXT NOT NULL CHECK (auth_kind IN ('key', 'agent', 'password')),
        key_path TEXT,
        auth_secret_id TEXT REFERENCES secrets(id),
        sudo_kind TEXT NOT NULL CHECK (sudo_kind IN ('none', 'passwordless', 'password')),
        sudo_secret_id TEXT REFERENCES secrets(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX hosts_by_cluster ON hosts(cluster_id, created_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE known_host_keys (
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        key_type TEXT NOT NULL,
        fingerprint_sha256 TEXT NOT NULL,
        public_key BLOB NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (host, port, key_type)
      ) STRICT;
    `);
  },
};
