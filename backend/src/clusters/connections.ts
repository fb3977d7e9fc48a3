/**
 * One {@link Connection} per cluster, shared by every window: opened when the first subscriber
 * acquires it, closed when the last one releases it — after a linger (15 s by default), so a
 * window reload or a quick switch between sections does not tear the watches down and list
 * 100,000 pods again.
 */
import { createKubeClient, createWatchCache, type CacheTimers } from '@nodeless/cluster-runtime';
import { Connection, type CacheFactory, type ConnectionOptions } from './connection.ts';
import type { SourceFs } from './kubeconfig-source.ts';
import type { ClusterCredentials } from './workspace-clusters.ts';

/** Where connections get a cluster's credentials (WorkspaceClusters). */
export interface CredentialsSource {
  credentials(clusterId: string): ClusterCredentials;
  credentialsVersion(clusterId: string): string | undefined;
}

export interface ConnectionsOptions {
  clusters: CredentialsSource;
  timers: CacheTimers;
  /** Default 15 s. */
  lingerMs?: number;
  envPath?: () => string;
  createClient?: ConnectionOptions['createClient'];
  createCache?: CacheFactory;
  fs?: SourceFs;
  pollMs?: number;
  cacheOptions?: ConnectionOptions['cacheOptions'];
  onError?: (clusterId: string, error: unknown) => void;
}

/** A hold on a connection; release it exactly once (later calls do nothing). */
export interface ConnectionLease {
  connection: Connection;
  release(): void;
}

interface Entry {
  connection: Connection;
  holders: number;
  linger: unknown;
}

export const DEFAULT_LINGER_MS = 15_000;

export class Connections {
  readonly #o: ConnectionsOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: ConnectionsOptions) {
    this.#o = options;
  }

  /** The cluster's connection, opened if it is not; hold it until `release`. */
  acquire(clusterId: string): ConnectionLease {
    let entry = this.#entries.get(clusterId);
    if (!entry) {
      entry = { connection: this.#create(clusterId), holders: 0, linger: undefined };
      this.#entries.set(clusterId, entry);
    }
    if (entry.linger !== undefined) {
      this.#o.timers.clearTimeout(entry.linger);
      entry.linger = undefined;
    }
    entry.holders++;
    entry.connection.open();
    const held = entry;
    let released = false;
    return {
      connection: entry.connection,
      release: () => {
        if (released) return;
        released = true;
        this.#release(clusterId, held);
      },
    };
  }

  /** The open connection of a cluster, if any (no hold is taken). */
  peek(clusterId: string): Connection | undefined {
    return this.#entries.get(clusterId)?.connection;
  }

  /** Open connections (held or lingering). */
  get size(): number {
    return this.#entries.size;
  }

  /** A cluster's credentials changed (reload them) or it was removed (close it). */
  changed(clusterId: string, removed: boolean): void {
    const entry = this.#entries.get(clusterId);
    if (!entry) return;
    if (!removed) {
      entry.connection.reload();
      return;
    }
    if (entry.linger !== undefined) this.#o.timers.clearTimeout(entry.linger);
    this.#entries.delete(clusterId);
    entry.connection.dispose();
  }

  /** Closes every connection (the backend is stopping). */
  closeAll(): void {
    for (const [id, entry] of this.#entries) {
      if (entry.linger !== undefined) this.#o.timers.clearTimeout(entry.linger);
      entry.connection.dispose();
      this.#entries.delete(id);
    }
  }

  #release(clusterId: string, entry: Entry): void {
    if (this.#entries.get(clusterId) !== entry) return; // removed meanwhile
    entry.holders--;
    if (entry.holders > 0) return;
    entry.linger = this.#o.timers.setTimeout(() => {
      entry.linger = undefined;
      if (entry.holders > 0 || this.#entries.get(clusterId) !== entry) return;
      this.#entries.delete(clusterId);
      entry.connection.dispose();
    }, this.#o.lingerMs ?? DEFAULT_LINGER_MS);
  }

  #create(clusterId: string): Connection {
    const o = this.#o;
    return new Connection({
      clusterId,
      credentials: () => o.clusters.credentials(clusterId),
      credentialsVersion: () => o.clusters.credentialsVersion(clusterId),
      createClient: o.createClient ?? ((text) => createKubeClient(text)),
      createCache: o.createCache ?? createWatchCache,
      envPath: o.envPath ?? (() => process.env['PATH'] ?? ''),
      timers: o.timers,
      ...(o.fs ? { fs: o.fs } : {}),
      ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }),
      ...(o.cacheOptions ? { cacheOptions: o.cacheOptions } : {}),
      onError: (error) => o.onError?.(clusterId, error),
    });
  }
}
