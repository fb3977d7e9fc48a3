/**
 * ReplicaSet controller: keeps `spec.replicas` active pods (controller ownerReference, template
 * labels including pod-template-hash), deleting the least valuable pods first on scale-down,
 * and reports replicas/fullyLabeledReplicas/readyReplicas/availableReplicas/observedGeneration.
 * Upstream runs the same code for ReplicationControllers (`replication-controller`), whose
 * status has the same fields: so does this one ({@link REPLICATION_CONTROLLERS}).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replicaset/replica_set.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replication/replication_controller.go
 */
import type { ResourceKey } from '../../store/types.ts';
import type { Cache } from '../cache.ts';
import { deleteQuietly, type SimContext } from '../context.ts';
import { R, raw, splitKey, view, type Pod, type ReplicaSet } from '../model.ts';
import { isActive, isAvailable, isReady, readySince } from '../pods.ts';
import { matchesSelector } from '../selectors.ts';
import type { WorkQueue } from '../workqueue.ts';
import { ownerKey, podFromTemplate, writeStatus } from './common.ts';

/** Which workload kind a controller instance manages. */
export interface ReplicatedKind {
  readonly resource: ResourceKey;
  readonly kind: 'ReplicaSet' | 'ReplicationController';
  /** Event source component, as upstream names the controller. */
  readonly component: string;
}

export const REPLICA_SETS: ReplicatedKind = {
  resource: R.replicaSets,
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
};
export const REPLICATION_CONTROLLERS: ReplicatedKind = {
  resource: R.replicationControllers,
  kind: 'ReplicationController',
  component: 'replication-controller',
};

/** Upstream creates at most this many pods per sync (burstReplicas). */
const BURST = 500;

export class ReplicaSetController {
  private readonly pods: Cache;
  private readonly queue: WorkQueue;

  constructor(
    private readonly ctx: SimContext,
    private readonly of: ReplicatedKind = REPLICA_SETS,
  ) {
    this.pods = ctx.cache(R.pods);
    const sets = ctx.cache(of.resource);
    this.queue = ctx.queue(of.kind.toLowerCase(), (key) => this.sync(key));
    sets.on(
      (type, o) =>
        type !== 'DELETED' && this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`),
    );
    this.pods.on((_t, o) => {
      const k = ownerKey(o, this.of.kind);
      if (k) this.queue.add(k);
    });
    for (const o of sets.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  private sync(key: string): { requeueAfterMs: number } | undefined {
    const { namespace, name } = splitKey(key);
    const o = this.ctx.store.get(this.of.resource, namespace, name);
    if (!o) return;
    const rs = view<ReplicaSet>(o);
    const now = this.ctx.clock.now();
    const owned = this.pods.ownedBy(o.metadata.uid).map((p) => view<Pod>(p));
    const active = owned.filter(isActive);
    const want = rs.spec?.replicas ?? 1;
    if (!o.metadata.deletionTimestamp) {
      if (active.length < want) {
        const n = Math.min(BURST, want - active.length);
        for (let i = 0; i < n; i++) {
          const created = this.ctx.store.create(
            R.pods,
            raw(podFromTemplate(rs.spec?.template, o, `${name}-`)),
          );
          this.pods.assume(created);
          this.ctx.events.record(
            o,
            'Normal',
            'SuccessfulCreate',
            `Created pod: ${created.metadata.name}`,
            { component: this.of.component },
          );
        }
        if (want - active.length > BURST) this.queue.add(key);
      } else if (active.length > want) {
        for (const p of rankForDeletion(active).slice(0, active.length - want)) {
          const po = raw(p);
          const { result, removed } = deleteQuietly(this.ctx.store, R.pods, po, {
            preconditions: { uid: p.metadata?.uid ?? '' },
          });
          this.pods.assumeDeleted(`${namespace}/${p.metadata?.name}`, result, removed);
          this.ctx.events.record(
            o,
            'Normal',
            'SuccessfulDelete',
            `Deleted pod: ${p.metadata?.name}`,
            { component: this.of.component },
          );
        }
      }
    }
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const current = this.pods
      .ownedBy(o.metadata.uid)
      .map((p) => view<Pod>(p))
      .filter(isActive);
    const available = current.filter((p) => isAvailable(p, minReady, now)).length;
    const status = {
      ...rs.status,
      replicas: current.length,
      fullyLabeledReplicas: current.filter((p) =>
        matchesSelector(
          { matchLabels: rs.spec?.template?.metadata?.labels ?? {} },
          p.metadata?.labels,
        ),
      ).length,
      readyReplicas: current.filter(isReady).length,
      availableReplicas: available,
      observedGeneration: o.metadata.generation ?? 1,
    };
    writeStatus(this.ctx.store, this.of.resource, o, status);
    // With minReadySeconds, a ready pod becomes available later without any event: look again.
    if (minReady > 0 && current.some((p) => isReady(p) && !isAvailable(p, minReady, now)))
      return { requeueAfterMs: 1000 };
  }
}

/**
 * Upstream's ActivePods ordering, least valuable first: unassigned < assigned, Pending < Unknown <
 * Running, not ready < ready, ready for less time first, more restarts first, newer first.
 */
export function rankForDeletion(pods: Pod[]): Pod[] {
  const phaseRank = (p: Pod): number =>
    p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Running' ? 2 : 1;
  const restarts = (p: Pod): number =>
    (p.status?.containerStatuses ?? []).reduce((a, c) => a + c.restartCount, 0);
  const created = (p: Pod): number => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
  return [...pods].sort(
    (a, b) =>
      Number(!!a.spec?.nodeName) - Number(!!b.spec?.nodeName) ||
      phaseRank(a) - phaseRank(b) ||
      Number(isReady(a)) - Number(isReady(b)) ||
      (readySince(b) ?? 0) - (readySince(a) ?? 0) ||
      restarts(b) - restarts(a) ||
      created(b) - created(a),
  );
}
