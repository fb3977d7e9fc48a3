/**
 * The cluster workspace as the API uses it: the clusters (and their list as a stream),
 * kubeconfig import, and per cluster the live feeds, the Overview and pod details — each
 * holding the cluster's shared connection for as long as it runs (a subscription until it
 * ends, a query until it answers).
 *
 * A cluster removed — here, or deleted from the inventory ({@link WorkspaceService.forget}) —
 * has its connection closed and its subscriptions ended: a feed's last message is a `failed`
 * status with the problem `removed`, the Overview completes. The list stream then no longer
 * has it, so every window drops it.
 */
import type { CacheTimers } from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import type { KeyedFeed, SubscribeOptions } from '../feed/index.ts';
import { NotFoundError } from '../inventory/errors.ts';
import type { WorkspaceClusterEvents } from './cluster-events.ts';
import type { Connection } from './connection.ts';
import type { Connections } from './connections.ts';
import type {
  ConnectionStatus,
  FeedKind,
  FeedMessage,
  FeedRows,
  KubeconfigContextChoice,
  Overview,
  PodDetail,
  WorkspaceCluster,
  WorkspaceClustersEvent,
} from './contract.ts';
import { overviewStream } from './overview.ts';
import { podDetail } from './pod-detail.ts';
import { classifyProblem } from './problems.ts';
import type { ImportKubeconfigInput, PodInput, PreviewKubeconfigInput } from './schema.ts';
import type { WorkspaceClusters } from './workspace-clusters.ts';

export interface WorkspaceServiceOptions {
  clusters: WorkspaceClusters;
  connections: Connections;
  /** The cluster list's stream; told of every change made here. */
  events: WorkspaceClusterEvents;
  timers: CacheTimers;
  /** The log redactor's `register`. */
  registerSecret: (plain: string) => void;
}

export class WorkspaceService {
  readonly #o: WorkspaceServiceOptions;
  /** Per cluster, the running subscriptions' removal switches. */
  readonly #running = new Map<string, Set<AbortController>>();

  constructor(options: WorkspaceServiceOptions) {
    this.#o = options;
  }

  list(): WorkspaceCluster[] {
    return this.#o.clusters.list();
  }

  /** The cluster, or a NotFoundError (404) before any connection is opened. */
  get(clusterId: string): WorkspaceCluster {
    return this.#o.clusters.get(clusterId);
  }

  /**
   * The cluster's admin kubeconfig now (the one its connection uses): for tenants.* and the
   * CLI's `--cluster`, so every path to a cluster's credentials is this one.
   */
  adminKubeconfig(clusterId: string): string {
    this.#o.clusters.get(clusterId);
    return this.#o.clusters.credentials(clusterId).kubeconfig;
  }

  /** Masks `plain` in every later log line (kubeconfig text in API input). */
  registerSecret(plain: string): void {
    this.#o.registerSecret(plain);
  }

  preview(input: PreviewKubeconfigInput): KubeconfigContextChoice[] {
    return this.#o.clusters.preview(input);
  }

  import(input: ImportKubeconfigInput): WorkspaceCluster {
    const cluster = this.#o.clusters.import(input);
    this.#o.events.changed();
    return cluster;
  }

  /** Forgets an imported cluster or the demo (refused for an installed one). */
  remove(clusterId: string): void {
    this.#o.clusters.remove(clusterId);
    this.forget(clusterId);
  }

  /**
   * The cluster is gone from the store (removed here, or deleted from the inventory): close its
   * connection, end its subscriptions, publish the list without it.
   */
  forget(clusterId: string): void {
    this.#o.clusters.forget(clusterId);
    this.#o.connections.changed(clusterId, true);
    for (const removal of this.#running.get(clusterId) ?? []) removal.abort();
    this.#running.delete(clusterId);
    this.#o.events.changed();
  }

  /** Something the list is read from changed elsewhere (the inventory, an install). */
  clustersChanged(): void {
    this.#o.events.changed();
  }

  /** The cluster list now, then again whenever it changes. */
  clusterEvents(
    signal: AbortSignal,
    transport?: SubscribeOptions,
  ): AsyncGenerator<WorkspaceClustersEvent, void, undefined> {
    return this.#o.events.subscribe(signal, transport);
  }

  /** Snapshot then coalesced changes of one kind, holding the connection until the end. */
  async *feed<K extends FeedKind>(
    clusterId: string,
    kind: K,
    signal: AbortSignal,
    transport?: SubscribeOptions,
  ): AsyncGenerator<FeedMessage<FeedRows[K]>, void, undefined> {
    this.get(clusterId);
    const removal = this.#onRemoval(clusterId);
    const lease = this.#o.connections.acquire(clusterId);
    try {
      const feed = lease.connection.feeds[kind] as unknown as KeyedFeed<FeedRows[K]>;
      yield* feed.subscribe(AbortSignal.any([signal, removal.signal]), transport);
      if (removal.signal.aborted && !signal.aborted) {
        yield { type: 'status', status: removedStatus(lease.connection.status, this.#o.timers) };
      }
    } finally {
      lease.release();
      this.#offRemoval(clusterId, removal);
    }
  }

  /**
   * The Overview now and each newer one (at most twice a second); with a transport's
   * `writable`, the next one is taken once the transport can send it (latest wins).
   */
  async *overview(
    clusterId: string,
    signal: AbortSignal,
    transport?: SubscribeOptions,
  ): AsyncGenerator<Overview, void> {
    this.get(clusterId);
    const removal = this.#onRemoval(clusterId);
    const lease = this.#o.connections.acquire(clusterId);
    try {
      const stop = AbortSignal.any([signal, removal.signal]);
      yield* overviewStream(lease.connection, this.#o.timers, stop, transport);
    } finally {
      lease.release();
      this.#offRemoval(clusterId, removal);
    }
  }

  async pod(input: PodInput, signal?: AbortSignal): Promise<PodDetail> {
    this.get(input.clusterId);
    const lease = this.#o.connections.acquire(input.clusterId);
    try {
      return await podDetail(lease.connection, input.namespace, input.name, this.#o.timers, signal);
    } catch (error) {
      if (error instanceof NotFoundError) throw error;
      throw apiError(error, lease.connection.provider.server);
    } finally {
      lease.release();
    }
  }

  /**
   * Runs `use` with the cluster's shared connection held (opened if needed) and answers its
   * result; a cluster's refusal becomes the API's answer (403 names the permission, anything
   * else from the cluster a 502 in the workspace's words). The one way workload operations
   * reach a cluster, so every one meets the same connection, failover and error wording.
   */
  async withConnection<T>(
    clusterId: string,
    use: (connection: Connection) => Promise<T>,
  ): Promise<T> {
    this.get(clusterId);
    const lease = this.#o.connections.acquire(clusterId);
    try {
      return await use(lease.connection);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof TRPCError) throw error;
      throw apiError(error, lease.connection.provider.server);
    } finally {
      lease.release();
    }
  }

  /**
   * The cluster's connection when one is open (held or lingering), without taking a hold or
   * opening one: for background work that runs only while someone has the cluster open
   * (metering's ledger sync and capacity samples).
   */
  openConnection(clusterId: string): Connection | undefined {
    return this.#o.connections.peek(clusterId);
  }

  close(): void {
    this.#o.connections.closeAll();
  }

  #onRemoval(clusterId: string): AbortController {
    const removal = new AbortController();
    const set = this.#running.get(clusterId) ?? new Set<AbortController>();
    set.add(removal);
    this.#running.set(clusterId, set);
    return removal;
  }

  #offRemoval(clusterId: string, removal: AbortController): void {
    const set = this.#running.get(clusterId);
    set?.delete(removal);
    if (set?.size === 0) this.#running.delete(clusterId);
  }
}

/** A feed's last status when its cluster was removed. */
function removedStatus(last: ConnectionStatus, timers: CacheTimers): ConnectionStatus {
  return {
    state: 'failed',
    ...(last.server ? { server: last.server } : {}),
    problem: {
      code: 'removed',
      message: 'This cluster was removed from Nodeless.',
      remedy: 'Pick another cluster.',
    },
    since: timers.now(),
  };
}

/** A cluster's refusal as the API's answer: 403 names the permission; anything else 502. */
function apiError(error: unknown, server: string | undefined): unknown {
  const problem = classifyProblem(error, server);
  if (!problem) return error;
  const message = `${problem.message} ${problem.remedy}`;
  if (problem.code === 'forbidden')
    return new TRPCError({ code: 'FORBIDDEN', message, cause: error });
  // Not 401: that is the API's own answer to a window without the launch token.
  return new TRPCError({ code: 'BAD_GATEWAY', message, cause: error });
}
