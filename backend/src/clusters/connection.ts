/**
 * One live connection to one cluster: its client (failover across the servers, credentials
 * reloaded when they change), its watch caches — pods, nodes, events, and what the views need
 * beside them: ReplicaSets and Jobs (a pod's workload through the {@link OwnerIndex}),
 * RuntimeClasses (the sandbox overhead of the capacity pool), Deployments, StatefulSets,
 * CronJobs and HPAs (the Workloads section) — the keyed feeds the windows subscribe to, and its
 * {@link ConnectionStatus}. Workload caches hold slim Workloads rows (no spec blobs).
 *
 * Events are watched through events.k8s.io/v1 only. Both APIs serve the same Event objects
 * (one storage, converted on read), so watching both would hold every event twice;
 * events.k8s.io/v1 is the maintained one (`regarding`, `note`, `series`), and the details pane
 * joins events to a pod by `regarding.uid` through an index.
 *
 * When the servers go away the caches keep their rows and retry with backoff; the status turns
 * `stale` (the views mark the data) and back to `live` by itself once a server answers.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1-events/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/
 */
import type { rowBase } from '@nodeless/cluster-runtime';
import {
  createIndex,
  EVENT_V1,
  eventsV1Row,
  followOwners,
  isListedJob,
  JOB,
  jobRow,
  jobWorkload,
  NODE,
  nodeRow,
  ownerEntry,
  OwnerIndex,
  POD,
  podPoolRequest,
  podRow,
  REPLICA_SET,
  replicaSetRow,
  RUNTIME_CLASS,
  runtimeClassRow,
  templateImages,
  type CacheIndex,
  type CacheTimers,
  type EventRow,
  type HpaFeedRow,
  type KubeClient,
  type NodeRow,
  type OwnerEntry,
  type RuntimeClassRow,
  type WatchCache,
  type WatchCacheOptions,
} from '@nodeless/cluster-runtime';
import { createKeyedFeed, type KeyedFeed } from '../feed/index.ts';
import { workloadCaches } from '../workloads/list/workload-caches.ts';
import { WorkloadsSource, type JobEntry } from '../workloads/list/workloads-source.ts';
import { ClientProvider, type ClientProviderOptions } from './client-provider.ts';
import type {
  ConnectionProblem,
  ConnectionStatus,
  FeedKind,
  FeedRows,
  WorkspacePodRow,
} from './contract.ts';
import { poolOf } from './overview.ts';
import { classifyProblem } from './problems.ts';
import { serverVersion } from './server-version.ts';

// The API object types, through the kinds modules (backend does not depend on client-node).
type KubernetesObject = Parameters<typeof rowBase>[0];
type V1Pod = Parameters<typeof podRow>[0];
type V1ReplicaSet = Parameters<typeof replicaSetRow>[0];
type V1Job = Parameters<typeof jobRow>[0];

/** createWatchCache's signature, injected so units run on scripted caches. */
export type CacheFactory = <T extends KubernetesObject, R extends { uid: string }>(
  options: WatchCacheOptions<T, R>,
) => WatchCache<R>;

export interface ConnectionOptions extends ClientProviderOptions {
  clusterId: string;
  createCache: CacheFactory;
  timers: CacheTimers;
  /** How often credentials and metrics are checked while open; default 30 s. */
  pollMs?: number;
  /** No second failover sooner than this after one (all caches fail at once); default 1 s. */
  rotateMinMs?: number;
  /** Every error met, for the log. */
  onError?: (error: unknown) => void;
  /** Extra cache options (page size, backoff), e.g. shorter backoff in tests. */
  cacheOptions?: Partial<
    Pick<
      WatchCacheOptions<V1Pod, WorkspacePodRow>,
      'backoffMs' | 'maxBackoffMs' | 'pageSize' | 'livenessMs'
    >
  >;
}

type Cached =
  | 'pods'
  | 'nodes'
  | 'events'
  | 'replicasets'
  | 'jobs'
  | 'runtimeclasses'
  | 'deployments'
  | 'statefulsets'
  | 'cronjobs'
  | 'hpas';
/** The caches without which the workspace has nothing to show: they decide live/stale. */
const CORE: readonly Cached[] = ['pods', 'nodes'];
const ORDER: readonly Cached[] = [
  'pods',
  'nodes',
  'events',
  'replicasets',
  'jobs',
  'runtimeclasses',
  'deployments',
  'statefulsets',
  'cronjobs',
  'hpas',
];

/** The APIService that says whether usage metrics (metrics-server) are served. */
const METRICS_API = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService' };
const METRICS_NAME = 'v1beta1.metrics.k8s.io';

export class Connection {
  readonly clusterId: string;
  readonly provider: ClientProvider;
  readonly pods: WatchCache<WorkspacePodRow>;
  readonly nodes: WatchCache<NodeRow>;
  readonly events: WatchCache<EventRow>;
  readonly runtimeClasses: WatchCache<RuntimeClassRow>;
  /** Event rows by the uid of the object they regard. */
  readonly eventsByObject: CacheIndex<EventRow>;
  /** The `workloads` feed's source (also: a workload's pods, for its details). */
  readonly workloads: WorkloadsSource;
  readonly feeds: { [K in FeedKind]: KeyedFeed<FeedRows[K]> };
  /** Whether metrics.k8s.io is Available (false until known). */
  metricsAvailable = false;
  /** The API server's gitVersion, once reached. */
  version: string | undefined;

  readonly #o: ConnectionOptions;
  readonly #owners = new OwnerIndex();
  readonly #caches: Record<Cached, WatchCache<{ uid: string }>>;
  readonly #problems = new Map<Cached, ConnectionProblem>();
  readonly #listeners = new Set<() => void>();
  readonly #detach: (() => void)[] = [];
  #status: ConnectionStatus;
  #everLive = false;
  #lastRotate = Number.NEGATIVE_INFINITY;
  #pollTimer: unknown;
  #open = false;
  #podsStarted = false;

  constructor(options: ConnectionOptions) {
    this.#o = options;
    this.clusterId = options.clusterId;
    this.provider = new ClientProvider(options);
    this.#status = { state: 'connecting', since: options.timers.now() };
    const cache = <T extends KubernetesObject, R extends { uid: string }>(
      name: Cached,
      type: WatchCacheOptions<T, R>['type'],
      project: (o: T) => R,
    ) =>
      options.createCache<T, R>({
        ...options.cacheOptions,
        client: () => this.provider.current(),
        type,
        project,
        timers: options.timers,
        onError: (error) => this.#onError(name, error),
      });
    this.pods = cache<V1Pod, WorkspacePodRow>('pods', POD, (pod) => {
      const row = podRow(pod, this.#owners);
      // Images only for bare pods: their Workloads row shows them; other pods' come from templates.
      const images = row.owner ? undefined : templateImages(pod.spec);
      return { ...row, request: podPoolRequest(pod.spec), ...(images ? { images } : {}) };
    });
    this.nodes = cache('nodes', NODE, nodeRow);
    this.events = cache('events', EVENT_V1, eventsV1Row);
    const replicaSets = cache<V1ReplicaSet, OwnerEntry>('replicasets', REPLICA_SET, (rs) =>
      ownerEntry('ReplicaSet', replicaSetRow(rs)),
    );
    const jobs = cache<V1Job, JobEntry>('jobs', JOB, (job) => ({
      ...ownerEntry('Job', jobRow(job)),
      ...(isListedJob(job) ? { workload: jobWorkload(job) } : {}),
    }));
    this.runtimeClasses = cache('runtimeclasses', RUNTIME_CLASS, runtimeClassRow);
    const { deployments, statefulsets, cronjobs, hpas } = workloadCaches(cache);
    this.#caches = {
      pods: this.pods,
      nodes: this.nodes,
      events: this.events,
      replicasets: replicaSets,
      jobs,
      runtimeclasses: this.runtimeClasses,
      deployments,
      statefulsets,
      cronjobs,
      hpas,
    };
    this.eventsByObject = createIndex(this.events, (e) => e.regarding.uid);
    this.workloads = new WorkloadsSource({
      deployments,
      statefulsets,
      jobs,
      cronjobs,
      pods: this.pods,
      nodes: this.nodes,
      events: this.events,
      eventsByObject: this.eventsByObject,
      timers: options.timers,
      pool: () => poolOf(this),
      onWaitingChanged: () => this.#changed(),
    });
    this.feeds = {
      pods: createKeyedFeed<WorkspacePodRow>(),
      nodes: createKeyedFeed<NodeRow>(),
      events: createKeyedFeed<EventRow>(),
      workloads: this.workloads.feed,
      hpas: createKeyedFeed<HpaFeedRow>(),
    };
    this.#detach.push(
      this.feeds.pods.attach(this.pods),
      this.feeds.nodes.attach(this.nodes),
      this.feeds.events.attach(this.events),
      this.feeds.hpas.attach(hpas),
      () => this.workloads.dispose(),
      followOwners(replicaSets, this.#owners),
      followOwners(jobs, this.#owners),
    );
    for (const name of ORDER) {
      this.#detach.push(
        this.#caches[name].subscribe((change) => {
          if (change.type === 'state') this.#onState(name, change.state);
          if (name === 'pods' || name === 'nodes' || name === 'runtimeclasses') this.#changed();
        }),
      );
    }
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The current server's client. */
  client(): KubeClient {
    return this.provider.current();
  }

  /** Starts the caches (pods once the owner caches listed, so rows name their workload). */
  open(): void {
    if (this.#open) return;
    this.#open = true;
    this.provider.reloadIfChanged();
    this.#setStatus();
    for (const name of ORDER) if (name !== 'pods') this.#caches[name].start();
    this.#maybeStartPods();
    void this.#pollMetrics();
    this.#schedulePoll();
  }

  /** Stops every watch and timer; rows stay readable. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    for (const name of ORDER) this.#caches[name].stop();
    if (this.#pollTimer !== undefined) this.#o.timers.clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  /** Closes for good: also detaches feeds and indexes. */
  dispose(): void {
    this.close();
    for (const detach of this.#detach.splice(0)) detach();
    this.eventsByObject.close();
    this.#listeners.clear();
  }

  /** New credentials: rebuild the clients and restart the watches on them. */
  reload(): void {
    if (!this.provider.reloadIfChanged() || !this.#open) return;
    for (const name of ORDER) this.#caches[name].stop();
    for (const name of ORDER) if (name !== 'pods' || this.#podsStarted) this.#caches[name].start();
  }

  /** Listens to anything the Overview is computed from (rows, status, metrics). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #maybeStartPods(): void {
    if (this.#podsStarted || !this.#open) return;
    const ready = (c: WatchCache<{ uid: string }>) => c.synced || c.state === 'retrying';
    if (!ready(this.#caches.replicasets) || !ready(this.#caches.jobs)) return;
    this.#podsStarted = true;
    this.pods.start();
  }

  #onError(name: Cached, error: unknown): void {
    this.#o.onError?.(error);
    const problem = classifyProblem(error, this.provider.server, this.provider.execCommand);
    if (!problem) return;
    this.#problems.set(name, problem);
    if (problem.code === 'unreachable') {
      const now = this.#o.timers.now();
      if (now - this.#lastRotate >= (this.#o.rotateMinMs ?? 1000) && this.provider.rotate()) {
        this.#lastRotate = now;
      }
    }
    if (problem.code === 'unauthorized') this.provider.reloadIfChanged();
    this.#setStatus();
  }

  #onState(name: Cached, state: WatchCache<{ uid: string }>['state']): void {
    if (state === 'synced') this.#problems.delete(name);
    if (name === 'replicasets' || name === 'jobs') this.#maybeStartPods();
    this.#setStatus();
  }

  #setStatus(): void {
    const core = CORE.map((n) => this.#caches[n]);
    const live = core.every((c) => c.synced && c.state === 'synced');
    if (live) this.#everLive = true;
    const problem = ORDER.map((n) => this.#problems.get(n)).find((p) => p !== undefined);
    const coreDown = core.some((c) => c.state === 'retrying');
    let state: ConnectionStatus['state'];
    if (live) state = 'live';
    else if (this.#everLive && (coreDown || problem)) state = 'stale';
    else if (problem) state = 'failed';
    else state = this.#everLive ? 'stale' : 'connecting';
    const server = this.provider.server;
    const previous = this.#status;
    if (
      previous.state === state &&
      previous.server === server &&
      previous.problem?.message === problem?.message
    ) {
      return;
    }
    this.#status = {
      state,
      ...(server === undefined ? {} : { server }),
      ...(problem ? { problem } : {}),
      since: previous.state === state ? previous.since : this.#o.timers.now(),
    };
    for (const feed of Object.values(this.feeds)) feed.status(this.#status);
    // Reached (again): metrics and version are worth asking now rather than at the next poll.
    if (state === 'live' && previous.state !== 'live') void this.#pollMetrics();
    this.#changed();
  }

  #schedulePoll(): void {
    this.#pollTimer = this.#o.timers.setTimeout(() => {
      this.#pollTimer = undefined;
      if (!this.#open) return;
      this.reload();
      void this.#pollMetrics();
      this.#schedulePoll();
    }, this.#o.pollMs ?? 30_000);
  }

  async #pollMetrics(): Promise<void> {
    if (this.version === undefined && this.provider.server !== undefined) {
      try {
        this.version = await serverVersion(this.client(), this.provider.server);
        if (this.version !== undefined) this.#changed();
      } catch {
        // Not reached yet: asked again at the next poll.
      }
    }
    let available: boolean;
    try {
      const api = await this.client().get<
        KubernetesObject & {
          status?: { conditions?: { type: string; status: string }[] };
        }
      >(METRICS_API, METRICS_NAME);
      available =
        api?.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ??
        false;
    } catch {
      return; // unreachable or forbidden: keep what was known (the status says why)
    }
    if (available !== this.metricsAvailable) {
      this.metricsAvailable = available;
      this.#changed();
    }
  }
}
