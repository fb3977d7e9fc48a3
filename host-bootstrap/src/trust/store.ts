/**
 * Where Nodeless keeps the host keys the user accepted. The backend implements it over its
 * SQLite `known_host_keys` table; {@link MemoryKnownHostsStore} serves tests and the CLI.
 */

/** One trusted host key. `hostName` is in known_hosts form (`host` or `[host]:port`). */
export interface StoredHostKey {
  readonly hostName: string;
  readonly keyType: string;
  readonly keyBase64: string;
  readonly fingerprint: string;
  /** Epoch ms of the user's consent. */
  readonly addedAt: number;
}

/** Persistence of accepted host keys. */
export interface KnownHostsStore {
  /** All keys trusted for this host name. */
  list(hostName: string): Promise<readonly StoredHostKey[]>;
  /** Stores a key (replaces an identical hostName+keyType entry). */
  add(key: StoredHostKey): Promise<void>;
  /** Forgets keys of a host (all types when `keyType` is omitted): the deliberate re-trust. */
  remove(hostName: string, keyType?: string): Promise<void>;
}

/** In-memory {@link KnownHostsStore}. */
export class MemoryKnownHostsStore implements KnownHostsStore {
  readonly #keys: StoredHostKey[] = [];

  async list(hostName: string): Promise<readonly StoredHostKey[]> {
    return this.#keys.filter((k) => k.hostName === hostName);
  }

  async add(key: StoredHostKey): Promise<void> {
    await this.remove(key.hostName, key.keyType);
    this.#keys.push(key);
  }

  async remove(hostName: string, keyType?: string): Promise<void> {
    for (let i = this.#keys.length - 1; i >= 0; i--) {
      const k = this.#keys[i];
      if (k && k.hostName === hostName && (keyType === undefined || k.keyType === keyType)) {
        this.#keys.splice(i, 1);
      }
    }
  }
}
