/**
 * StatefulSet controller: pods `<name>-0..n-1` with stable hostnames; OrderedReady creates the
 * next ordinal only when all lower ones are Running and Ready and scales down from the highest
 * ordinal one pod at a time; Parallel acts on all at once. RollingUpdate replaces pods of an
 * old revision from the highest ordinal down (honouring `partition`), one at a time.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#deployment-and-scaling-guarantees
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_set_control.go
 */
import type { Cache } from '../cache.ts';
import { deleteQuietly, type SimContext } from '../context.ts';
import { R, raw, splitKey, view, type Pod, type StatefulSet } from '../model.ts';
import { isAvailable, isDeleting, isReady } from '../pods.ts';
import type { WorkQueue } from '../workqueue.ts';
import { ownerKey, podFromTemplate, writeStatus } from './common.ts';
import { podTemplateHash } from './deployment.ts';

const SOURCE = { component: 'statefulset-controller' };
const REVISION_LABEL = 'controller-revision-hash';

export class StatefulSetController {
  private readonly pods: Cache;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.cache(R.pods);
    const sets = ctx.cache(R.statefulSets);
    this.queue = ctx.queue('statefulset', (key) => this.sync(key));
    sets.on(
      (type, o) =>
        type !== 'DELETED' && this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`),
    );
    this.pods.on((_t, o) => {
      const k = ownerKey(o, 'StatefulSet');
      if (k) this.queue.add(k);
    });
    for (const o of sets.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  private sync(key: string): undefined {
    const { namespace, name } = splitKey(key);
    const o = this.ctx.store.get(R.statefulSets, namespace, name);
    if (!o || o.metadata.deletionTimestamp) return;
    const sts = view<StatefulSet>(o);
    const replicas = sts.spec?.replicas ?? 1;
    const ordered = sts.spec?.podManagementPolicy !== 'Parallel';
    const updateRevision = `${name}-${podTemplateHash(sts.spec?.template)}`;
    const byOrdinal = new Map<number, Pod>();
    for (const p of this.pods.ownedBy(o.metadata.uid).map((x) => view<Pod>(x))) {
      const m = new RegExp(`^${escape(name)}-(\\d+)$`).exec(p.metadata?.name ?? '');
      if (m) byOrdinal.set(Number(m[1]), p);
    }
    const remove = (p: Pod, grace?: number): void => {
      const { result, removed } = deleteQuietly(this.ctx.store, R.pods, raw(p), {
        preconditions: { uid: p.metadata?.uid ?? '' },
        ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
      });
      this.pods.assumeDeleted(`${namespace}/${p.metadata?.name}`, result, removed);
      this.ctx.events.record(
        o,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${p.metadata?.name} in StatefulSet ${name} successful`,
        SOURCE,
      );
    };
    let blocked = false;
    for (let i = 0; i < replicas && !blocked; i++) {
      const p = byOrdinal.get(i);
      if (!p) {
        const podName = `${name}-${i}`;
        const pod = podFromTemplate(sts.spec?.template, o, podName, {
          labels: {
            'statefulset.kubernetes.io/pod-name': podName,
            'apps.kubernetes.io/pod-index': String(i),
            [REVISION_LABEL]: updateRevision,
          },
          spec: {
            hostname: podName,
            ...(sts.spec?.serviceName ? { subdomain: sts.spec.serviceName } : {}),
          },
        });
        this.pods.assume(this.ctx.store.create(R.pods, raw(pod)));
        this.ctx.events.record(
          o,
          'Normal',
          'SuccessfulCreate',
          `create Pod ${podName} in StatefulSet ${name} successful`,
          SOURCE,
        );
        blocked = ordered;
      } else if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') {
        if (!isDeleting(p)) remove(p, 0);
        blocked = ordered;
      } else if (isDeleting(p) || !isReady(p)) blocked = ordered;
    }
    // Scale down: highest ordinal first; OrderedReady waits for each to be gone.
    const extra = [...byOrdinal.entries()].filter(([i]) => i >= replicas).sort(([a], [b]) => b - a);
    if (!blocked || !ordered) {
      for (const [, p] of extra) {
        if (isDeleting(p)) {
          if (ordered) break;
          continue;
        }
        remove(p);
        if (ordered) break;
      }
    }
    // Rolling update: all wanted pods present and ready, then replace the highest outdated one.
    const strategy = sts.spec?.updateStrategy;
    const partition = strategy?.rollingUpdate?.partition ?? 0;
    const live = [...byOrdinal.entries()].filter(([i]) => i < replicas);
    const settled =
      live.length === replicas &&
      live.every(([, p]) => isReady(p) && !isDeleting(p)) &&
      extra.length === 0;
    if (strategy?.type !== 'OnDelete' && settled) {
      const stale = live
        .filter(
          ([i, p]) => i >= partition && p.metadata?.labels?.[REVISION_LABEL] !== updateRevision,
        )
        .sort(([a], [b]) => b - a)[0];
      if (stale) remove(stale[1]);
    }
    const pods = [...this.pods.ownedBy(o.metadata.uid)]
      .map((x) => view<Pod>(x))
      .filter((p) => !isDeleting(p));
    const updated = pods.filter(
      (p) => p.metadata?.labels?.[REVISION_LABEL] === updateRevision,
    ).length;
    const now = this.ctx.clock.now();
    const ready = pods.filter(isReady).length;
    const prevCurrent = sts.status?.currentRevision ?? updateRevision;
    const currentRevision =
      updated === replicas && ready === replicas ? updateRevision : prevCurrent;
    const fresh = this.ctx.store.get(R.statefulSets, namespace, name);
    if (!fresh) return;
    writeStatus(this.ctx.store, R.statefulSets, fresh, {
      observedGeneration: fresh.metadata.generation ?? 1,
      replicas: pods.length,
      readyReplicas: ready,
      availableReplicas: pods.filter((p) => isAvailable(p, sts.spec?.minReadySeconds, now)).length,
      currentReplicas: pods.filter((p) => p.metadata?.labels?.[REVISION_LABEL] === currentRevision)
        .length,
      updatedReplicas: updated,
      currentRevision,
      updateRevision,
      collisionCount: 0,
    });
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
