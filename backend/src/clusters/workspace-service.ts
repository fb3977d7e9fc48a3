/**
 * The cluster workspace as the API uses it: the clusters, kubeconfig import, and per cluster
 * the live feeds, the Overview and pod details — each holding the cluster's shared connection
 * for as long as it runs (a subscription until it ends, a query until it answers).
 */
import type { CacheTimers } from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import type { KeyedFeed, SubscribeOptions } from '../feed/index.ts';
import { NotFoundError } from '../inventory/errors.ts';
import type { Connections } from './connections.ts';
import type {
  FeedKind,
  FeedMessage,
  FeedRows,
  KubeconfigContextChoice,
  Overview,
  PodDetail,
  WorkspaceCluster,
} from './contract.ts';
import { overviewStream } from './overview.ts';
import { podDetail } from './pod-detail.ts';
import { classifyProblem } from './problems.ts';
import type { ImportKubeconfigInput, PodInput, PreviewKubeconfigInput } from './schema.ts';
import type { WorkspaceClusters } from './workspace-clusters.ts';

export interface WorkspaceServiceOptions {
  clusters: WorkspaceClusters;
  connections: Connections;
  timers: CacheTimers;
  /** The log redactor's `register`. */
  registerSecret: (plain: string) => void;
}

export class WorkspaceService {
  readonly #o: WorkspaceServiceOptions;

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

  /** Masks `plain` in every later log line (kubeconfig text in API input). */
  registerSecret(plain: string): void {
    this.#o.registerSecret(plain);
  }

  preview(input: PreviewKubeconfigInput): KubeconfigContextChoice[] {
    return this.#o.clusters.preview(input);
  }

  import(input: ImportKubeconfigInput): WorkspaceCluster {
    return this.#o.clusters.import(input);
  }

  remove(clusterId: string): void {
    this.#o.clusters.remove(clusterId);
    this.#o.connections.changed(clusterId, true);
  }

  /** Snapshot then coalesced changes of one kind, holding the connection until the end. */
  async *feed<K extends FeedKind>(
    clusterId: string,
    kind: K,
    signal: AbortSignal,
    transport?: SubscribeOptions,
  ): AsyncGenerator<FeedMessage<FeedRows[K]>, void, undefined> {
    this.get(clusterId);
    const lease = this.#o.connections.acquire(clusterId);
    try {
      const feed = lease.connection.feeds[kind] as unknown as KeyedFeed<FeedRows[K]>;
      yield* feed.subscribe(signal, transport);
    } finally {
      lease.release();
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
    const lease = this.#o.connections.acquire(clusterId);
    try {
      yield* overviewStream(lease.connection, this.#o.timers, signal, transport);
    } finally {
      lease.release();
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

  close(): void {
    this.#o.connections.closeAll();
  }
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
