/**
 * Deployment controller: one ReplicaSet per pod template (named `<deployment>-<pod-template-hash>`),
 * RollingUpdate honouring maxSurge/maxUnavailable (ints or percentages), Recreate, revision
 * annotations (`deployment.kubernetes.io/revision`, reused RS bumped on rollback by template),
 * revisionHistoryLimit, and the status kubectl's `rollout status` reads (observedGeneration,
 * updatedReplicas, availableReplicas, Progressing=NewReplicaSetAvailable).
 *
 * Availability is counted from pods, capped per ReplicaSet at its spec.replicas, and the pod
 * total at max(spec, actual) per ReplicaSet, so a decision taken before the ReplicaSet
 * controller has acted can never break the surge or availability bounds.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/rolling.go
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
 */
import type { KubeObject } from '../../store/types.ts';
import type { Cache } from '../cache.ts';
import { deleteQuietly, type SimContext } from '../context.ts';
import {
  R,
  clone,
  isoTime,
  raw,
  splitKey,
  view,
  type Deployment,
  type Pod,
  type ReplicaSet,
} from '../model.ts';
import { isActive, isAvailable, isReady, isTerminal } from '../pods.ts';
import { canonicalJson, fnv32a, safeEncode } from '../prng.ts';
import type { WorkQueue } from '../workqueue.ts';
import {
  intOrPercent,
  ownerKey,
  ownerRef,
  setCondition,
  writeStatus,
  type PodTemplate,
} from './common.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';
const SOURCE = { component: 'deployment-controller' };

interface RsInfo {
  obj: KubeObject;
  rs: ReplicaSet;
  spec: number;
  active: number;
  ready: number;
  available: number;
  revision: number;
}

/** Template equality ignoring pod-template-hash (EqualIgnoreHash). */
function templateKey(t: PodTemplate | undefined): string {
  const c = clone(t ?? {});
  if (c.metadata?.labels) {
    const { [HASH]: _hash, ...rest } = c.metadata.labels;
    c.metadata.labels = rest;
  }
  return canonicalJson(c);
}

export function podTemplateHash(t: PodTemplate | undefined, collisionCount = 0): string {
  return safeEncode(fnv32a(`${templateKey(t)}/${collisionCount}`));
}

export class DeploymentController {
  private readonly pods: Cache;
  private readonly sets: Cache;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.cache(R.pods);
    this.sets = ctx.cache(R.replicaSets);
    const deployments = ctx.cache(R.deployments);
    this.queue = ctx.queue('deployment', (key) => this.sync(key));
    deployments.on(
      (type, o) =>
        type !== 'DELETED' && this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`),
    );
    this.sets.on((_t, o) => {
      const k = ownerKey(o, 'Deployment');
      if (k) this.queue.add(k);
    });
    this.pods.on((_t, o) => {
      const rsKey = ownerKey(o, 'ReplicaSet');
      const rs = rsKey ? this.sets.get(rsKey) : undefined;
      const k = rs ? ownerKey(rs, 'Deployment') : undefined;
      if (k) this.queue.add(k);
    });
    for (const o of deployments.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  private info(o: KubeObject, minReady: number, now: number): RsInfo {
    const rs = view<ReplicaSet>(o);
    const pods = this.pods
      .ownedBy(o.metadata.uid)
      .map((p) => view<Pod>(p))
      .filter(isActive);
    return {
      obj: o,
      rs,
      spec: rs.spec?.replicas ?? 0,
      active: pods.length,
      ready: pods.filter(isReady).length,
      available: pods.filter((p) => isAvailable(p, minReady, now)).length,
      revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0),
    };
  }

  private sync(key: string): { requeueAfterMs: number } | undefined {
    const { namespace, name } = splitKey(key);
    const o = this.ctx.store.get(R.deployments, namespace, name);
    if (!o || o.metadata.deletionTimestamp) return;
    const d = view<Deployment>(o);
    const now = this.ctx.clock.now();
    const replicas = d.spec?.replicas ?? 1;
    const minReady = d.spec?.minReadySeconds ?? 0;
    const want = templateKey(d.spec?.template);
    const all = this.sets
      .ownedBy(o.metadata.uid)
      .filter((r) => !r.metadata.deletionTimestamp)
      .map((r) => this.info(r, minReady, now));
    let newRs = all.find((r) => templateKey(r.rs.spec?.template) === want);
    const olds = all.filter((r) => r !== newRs).sort((a, b) => created(a) - created(b));
    const maxOldRevision = Math.max(0, ...olds.map((r) => r.revision));
    const rolling = d.spec?.strategy?.type !== 'Recreate';
    const ru = d.spec?.strategy?.rollingUpdate;
    const maxSurge = rolling ? intOrPercent(ru?.maxSurge, '25%', replicas, true) : 0;
    let maxUnavailable = rolling
      ? intOrPercent(ru?.maxUnavailable, '25%', replicas, false)
      : replicas;
    if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    let createdNew = false;

    if (!d.spec?.paused) {
      if (!newRs && (rolling || olds.every((r) => r.spec === 0 && !this.oldPodsRunning(r)))) {
        const current = olds.reduce((a, r) => a + Math.max(r.spec, r.active), 0);
        const initial = rolling
          ? Math.max(0, Math.min(replicas + maxSurge - current, replicas))
          : replicas;
        newRs = this.createRs(o, d, maxOldRevision + 1, initial, maxSurge, minReady, now);
        createdNew = true;
      } else if (newRs && newRs.revision <= maxOldRevision) {
        // Rollback by template: the old ReplicaSet becomes the newest revision again.
        newRs = this.scale(
          o,
          newRs,
          newRs.spec,
          maxOldRevision + 1,
          replicas,
          maxSurge,
          minReady,
          now,
        );
      }
      if (rolling)
        this.rollingStep(o, newRs, olds, replicas, maxSurge, maxUnavailable, minReady, now);
      else this.recreateStep(o, newRs, olds, replicas, minReady, now);
    }

    const current = newRs ? this.info(newRs.obj, minReady, now) : undefined;
    const revision = String(current?.revision ?? maxOldRevision);
    if (newRs && d.metadata?.annotations?.[REVISION] !== revision) {
      const fresh = clone(this.ctx.store.get(R.deployments, namespace, name) ?? o);
      fresh.metadata.annotations = { ...fresh.metadata.annotations, [REVISION]: revision };
      this.ctx.store.update(R.deployments, fresh);
    }
    const infos = this.sets
      .ownedBy(o.metadata.uid)
      .filter((r) => !r.metadata.deletionTimestamp)
      .map((r) => this.info(r, minReady, now));
    const total = infos.reduce((a, r) => a + r.active, 0);
    const available = infos.reduce((a, r) => a + r.available, 0);
    const updated = current?.active ?? 0;
    const complete = updated === replicas && current?.available === replicas && total === replicas;
    if (complete)
      this.cleanup(
        o,
        d,
        infos.filter((r) => r.obj.metadata.uid !== newRs?.obj.metadata.uid),
      );
    const t = isoTime(now);
    const rsName = newRs?.obj.metadata.name ?? '';
    let conds = setCondition(
      d.status?.conditions,
      available >= replicas - maxUnavailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      t,
      true,
    );
    const progressing = complete
      ? {
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        }
      : createdNew
        ? { reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` }
        : { reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` };
    conds = setCondition(conds, { type: 'Progressing', status: 'True', ...progressing }, t, true);
    const fresh = this.ctx.store.get(R.deployments, namespace, name);
    if (!fresh) return;
    writeStatus(this.ctx.store, R.deployments, fresh, {
      observedGeneration: fresh.metadata.generation ?? 1,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: infos.reduce((a, r) => a + r.ready, 0),
      availableReplicas: available,
      ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
      conditions: conds,
    });
    if (minReady > 0 && !complete) return { requeueAfterMs: 1000 };
  }

  private oldPodsRunning(r: RsInfo): boolean {
    return this.pods.ownedBy(r.obj.metadata.uid).some((p) => !isTerminal(view<Pod>(p)));
  }

  private rollingStep(
    o: KubeObject,
    newRs: RsInfo | undefined,
    olds: RsInfo[],
    replicas: number,
    maxSurge: number,
    maxUnavailable: number,
    minReady: number,
    now: number,
  ): void {
    if (!newRs) return;
    const first: RsInfo = newRs;
    // reconcileNewReplicaSet
    const totalPods = (): number =>
      [first, ...olds].reduce((a, r) => a + Math.max(r.spec, r.active), 0);
    if (newRs.spec > replicas)
      newRs = this.scale(o, newRs, replicas, newRs.revision, replicas, maxSurge, minReady, now);
    else if (newRs.spec < replicas) {
      const room = replicas + maxSurge - totalPods();
      if (room > 0)
        newRs = this.scale(
          o,
          newRs,
          newRs.spec + Math.min(room, replicas - newRs.spec),
          newRs.revision,
          replicas,
          maxSurge,
          minReady,
          now,
        );
    }
    // reconcileOldReplicaSets
    if (olds.reduce((a, r) => a + r.spec, 0) === 0) return;
    const avail = (r: RsInfo): number => Math.min(r.spec, r.available);
    const minAvailable = replicas - maxUnavailable;
    const allPods = [newRs, ...olds].reduce((a, r) => a + r.spec, 0);
    const newUnavailable = newRs.spec - avail(newRs);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // Unhealthy old pods go first: they cost no availability.
    let scaled = 0;
    for (let i = 0; i < olds.length && scaled < maxScaledDown; i++) {
      const r = olds[i];
      if (!r || r.spec === 0 || r.spec === avail(r)) continue;
      const n = Math.min(maxScaledDown - scaled, r.spec - avail(r));
      olds[i] = this.scale(o, r, r.spec - n, r.revision, replicas, maxSurge, minReady, now);
      scaled += n;
    }
    const available = [newRs, ...olds].reduce((a, r) => a + avail(r), 0);
    let budget = available - minAvailable;
    for (let i = 0; i < olds.length && budget > 0; i++) {
      const r = olds[i];
      if (!r || r.spec === 0) continue;
      const n = Math.min(r.spec, budget);
      olds[i] = this.scale(o, r, r.spec - n, r.revision, replicas, maxSurge, minReady, now);
      budget -= n;
    }
  }

  private recreateStep(
    o: KubeObject,
    newRs: RsInfo | undefined,
    olds: RsInfo[],
    replicas: number,
    minReady: number,
    now: number,
  ): void {
    for (const r of olds)
      if (r.spec > 0) this.scale(o, r, 0, r.revision, replicas, 0, minReady, now);
    if (!newRs || olds.some((r) => this.oldPodsRunning(r))) return;
    if (newRs.spec !== replicas)
      this.scale(o, newRs, replicas, newRs.revision, replicas, 0, minReady, now);
  }

  private createRs(
    o: KubeObject,
    d: Deployment,
    revision: number,
    count: number,
    maxSurge: number,
    minReady: number,
    now: number,
  ): RsInfo {
    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount ?? 0);
    const template = clone(d.spec?.template ?? {});
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [HASH]: hash },
    };
    const selector = clone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [HASH]: hash };
    const name = `${d.metadata?.name}-${hash}`;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata?.namespace,
        labels: { ...d.spec?.template?.metadata?.labels, [HASH]: hash },
        annotations: {
          ...annotationsToCopy(d),
          [REVISION]: String(revision),
          'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String((d.spec?.replicas ?? 1) + maxSurge),
        },
        ownerReferences: [ownerRef(o)],
      },
      spec: { replicas: count, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    };
    const stored = this.ctx.store.create(R.replicaSets, raw(rs));
    this.sets.assume(stored);
    if (count > 0)
      this.ctx.events.record(
        o,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${name} from 0 to ${count}`,
        SOURCE,
      );
    return this.info(stored, minReady, now);
  }

  private scale(
    o: KubeObject,
    r: RsInfo,
    to: number,
    revision: number,
    replicas: number,
    maxSurge: number,
    minReady: number,
    now: number,
  ): RsInfo {
    const fresh = this.ctx.store.get(
      R.replicaSets,
      r.obj.metadata.namespace,
      r.obj.metadata.name ?? '',
    );
    if (!fresh) return r;
    const next = view<ReplicaSet>(clone(fresh));
    const from = next.spec?.replicas ?? 0;
    const ann = next.metadata?.annotations ?? {};
    const annotations = {
      ...ann,
      [REVISION]: String(revision),
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
    };
    if (from === to && canonicalJson(annotations) === canonicalJson(ann)) return r;
    next.metadata = { ...next.metadata, annotations };
    next.spec = { ...next.spec, selector: next.spec?.selector ?? {}, replicas: to };
    const stored = this.ctx.store.update(R.replicaSets, raw(next));
    this.sets.assume(stored);
    if (from !== to)
      this.ctx.events.record(
        o,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${to > from ? 'up' : 'down'} replica set ${r.obj.metadata.name} from ${from} to ${to}`,
        SOURCE,
      );
    return this.info(stored, minReady, now);
  }

  /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private cleanup(o: KubeObject, d: Deployment, olds: RsInfo[]): void {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = olds
      .filter((r) => r.spec === 0 && r.active === 0)
      .sort((a, b) => a.revision - b.revision);
    for (const r of idle.slice(0, Math.max(0, idle.length - limit))) {
      const { result, removed } = deleteQuietly(this.ctx.store, R.replicaSets, r.obj);
      this.sets.assumeDeleted(
        `${r.obj.metadata.namespace}/${r.obj.metadata.name}`,
        result,
        removed,
      );
      this.ctx.events.record(
        o,
        'Normal',
        'DeletedReplicaSet',
        `Deleted old replica set ${r.obj.metadata.name} (revisionHistoryLimit ${limit})`,
        SOURCE,
      );
    }
  }
}

function created(r: RsInfo): number {
  return Date.parse(r.obj.metadata.creationTimestamp ?? '') || 0;
}

/** Deployment annotations copied to its ReplicaSets (all but the controller's own and kubectl's). */
function annotationsToCopy(d: Deployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (
      k === REVISION ||
      k.startsWith('deployment.kubernetes.io/') ||
      k === 'kubectl.kubernetes.io/last-applied-configuration'
    )
      continue;
    out[k] = v;
  }
  return out;
}
