/**
 * One connection per host, reused across onboarding steps (connect → privilege → facts → …).
 * Concurrent requests for the same host share one opening attempt; a connection that died is
 * reopened on the next request.
 *
 * @see https://github.com/k0sproject/k0sctl/blob/main/phase/connect.go — one connection per host
 */
import type { SshConnection } from './connection.ts';

/** A keyed cache of open connections. */
export class ConnectionPool {
  readonly #entries = new Map<string, Promise<SshConnection>>();

  /** Returns the open connection for `key`, opening it with `open` when needed. */
  async get(key: string, open: () => Promise<SshConnection>): Promise<SshConnection> {
    const existing = this.#entries.get(key);
    if (existing) {
      const conn = await existing.catch(() => undefined);
      if (conn && !conn.closed) return conn;
      if (this.#entries.get(key) === existing) this.#entries.delete(key);
      if (this.#entries.has(key)) return this.get(key, open);
    }
    const opening = open();
    this.#entries.set(key, opening);
    opening.catch(() => {
      if (this.#entries.get(key) === opening) this.#entries.delete(key);
    });
    return opening;
  }

  /** Closes and forgets the connection of one host. */
  async release(key: string): Promise<void> {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    const conn = await entry?.catch(() => undefined);
    conn?.close();
  }

  /** Closes every connection. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((k) => this.release(k)));
  }

  get size(): number {
    return this.#entries.size;
  }
}
