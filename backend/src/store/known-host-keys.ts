/**
 * Data access for `known_host_keys`: the host keys the user accepted, as host-bootstrap's
 * {@link KnownHostsStore}. The engine speaks known_hosts names (`host` or `[host]:port`); the
 * table keeps host and port apart so a key is found whatever spelling the caller used.
 *
 * @see ../../../host-bootstrap/src/trust/store.ts — the interface implemented here
 * @see https://man.openbsd.org/sshd.8#SSH_KNOWN_HOSTS_FILE_FORMAT — `[host]:port`
 */
import type { KnownHostsStore, StoredHostKey } from '@nodeless/host-bootstrap';
import type Database from 'better-sqlite3';

interface KeyRow {
  host: string;
  port: number;
  key_type: string;
  fingerprint_sha256: string;
  public_key: Buffer;
  added_at: string;
}

/** Splits a known_hosts name into host and port (`[h]:p` → h, p; otherwise port 22). */
export function splitHostName(hostName: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(hostName);
  return m?.[1] && m[2] ? { host: m[1], port: Number(m[2]) } : { host: hostName, port: 22 };
}

function joinHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** {@link KnownHostsStore} over SQLite. Calls are synchronous underneath; async for the interface. */
export function knownHostKeysTable(db: Database.Database): KnownHostsStore {
  const list = db.prepare<[string, number], KeyRow>(
    'SELECT * FROM known_host_keys WHERE host = ? AND port = ? ORDER BY added_at',
  );
  const upsert = db.prepare<[KeyRow]>(
    `INSERT INTO known_host_keys (host, port, key_type, fingerprint_sha256, public_key, added_at)
     VALUES (@host, @port, @key_type, @fingerprint_sha256, @public_key, @added_at)
     ON CONFLICT (host, port, key_type) DO UPDATE SET
       fingerprint_sha256 = excluded.fingerprint_sha256,
       public_key = excluded.public_key,
       added_at = excluded.added_at`,
  );
  const removeAll = db.prepare<[string, number]>(
    'DELETE FROM known_host_keys WHERE host = ? AND port = ?',
  );
  const removeType = db.prepare<[string, number, string]>(
    'DELETE FROM known_host_keys WHERE host = ? AND port = ? AND key_type = ?',
  );
  return {
    async list(hostName) {
      const { host, port } = splitHostName(hostName);
      return list.all(host, port).map((r): StoredHostKey => ({
        hostName: joinHostName(r.host, r.port),
        keyType: r.key_type,
        keyBase64: r.public_key.toString('base64'),
        fingerprint: r.fingerprint_sha256,
        addedAt: Date.parse(r.added_at),
      }));
    },
    async add(key) {
      const { host, port } = splitHostName(key.hostName);
      upsert.run({
        host,
        port,
        key_type: key.keyType,
        fingerprint_sha256: key.fingerprint,
        public_key: Buffer.from(key.keyBase64, 'base64'),
        added_at: new Date(key.addedAt).toISOString(),
      });
    },
    async remove(hostName, keyType) {
      const { host, port } = splitHostName(hostName);
      if (keyType === undefined) removeAll.run(host, port);
      else removeType.run(host, port, keyType);
    },
  };
}
