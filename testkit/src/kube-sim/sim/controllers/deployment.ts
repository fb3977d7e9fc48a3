/**
 * Deployment controller: one ReplicaSet per pod template (named `<deployment>-<pod-template-hash>`),
 * RollingUpdate honouring maxSurge/maxUnavailable (ints or percentages), Recreate, revision
 * annotations (`deployment.kubernetes.io/revision`, reused RS bumped on rollback by template),
 * revisionHistoryLimit, and the status kubectl's `rollout status` reads (observedGeneration,
 * updatedReplicas, availableReplicas, Progressing=NewReplicaSetAvailable).
 *
 * Availability is counted from pods, capped per ReplicaSet at its spec.replicas, and the pod
 * total at max(spec, actual) per ReplicaSet, so a decision taken before the ReplicaSet
 * controller has acted can never break the surge or availability bounds. Reading, creating,
 * scaling and pruning the ReplicaSets themselves is in `./deployment-replicasets.ts`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/rolling.go
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
 */
import type { KubeObject } from '../../store/types.ts';
import type { Cache } from '../cache.ts';
import type { SimContext } from '../context.ts';
import { R, clone, isoTime, splitKey, view, type Deployment } from '../model.ts';
import type { WorkQueue } from '../workqueue.ts';
import { intOrPercent, ownerKey, setCondition, writeStatus } from './common.ts';
import {
  DeploymentReplicaSets,
  REVISION,
  created,
  templateKey,
  type RsInfo,
} from './deployment-replicasets.ts';

// Importers (tests, DaemonSet and StatefulSet controllers) keep reaching these here.
export { REVISION, podTemplateHash } from './deployment-replicasets.ts';

/** Rolls Deployments out through their ReplicaSets and reports rollout status. */
export class DeploymentController {
  private readonly pods: Cache;
  private readonly sets: Cache;
  private readonly queue: WorkQueue;
  private readonly replicaSets: DeploymentReplicaSets;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.cache(R.pods);
    this.sets = ctx.cache(R.replicaSets);
    this.replicaSets = new DeploymentReplicaSets(ctx, this.pods, this.sets);
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
      .map((r) => this.replicaSets.info(r, minReady, now));
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
      if (
        !newRs &&
        (rolling || olds.every((r) => r.spec === 0 && !this.replicaSets.oldPodsRunning(r)))
      ) {
        const current = olds.reduce((a, r) => a + Math.max(r.spec, r.active), 0);
        const initial = rolling
          ? Math.max(0, Math.min(replicas + maxSurge - current, replicas))
          : replicas;
        newRs = this.replicaSets.create(o, d, maxOldRevision + 1, initial, maxSurge, minReady, now);
        createdNew = true;
      } else if (newRs && newRs.revision <= maxOldRevision) {
        // Rollback by template: the old ReplicaSet becomes the newest revision again.
        newRs = this.replicaSets.scale(
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

    const current = newRs ? this.replicaSets.info(newRs.obj, minReady, now) : undefined;
    const revision = String(current?.revision ?? maxOldRevision);
    if (newRs && d.metadata?.annotations?.[REVISION] !== revision) {
      const fresh = clone(this.ctx.store.get(R.deployments, namespace, name) ?? o);
      fresh.metadata.annotations = { ...fresh.metadata.annotations, [REVISION]: revision };
      this.ctx.store.update(R.deployments, fresh);
    }
    const infos = this.sets
      .ownedBy(o.metadata.uid)
      .filter((r) => !r.metadata.deletionTimestamp)
      .map((r) => this.replicaSets.info(r, minReady, now));
    const total = infos.reduce((a, r) => a + r.active, 0);
    const available = infos.reduce((a, r) => a + r.available, 0);
    const updated = current?.active ?? 0;
    const complete = updated === replicas && current?.available === replicas && total === replicas;
    if (complete)
      this.replicaSets.cleanup(
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
      newRs = this.replicaSets.scale(
        o,
        newRs,
        replicas,
        newRs.revision,
        replicas,
        maxSurge,
        minReady,
        now,
      );
    else if (newRs.spec < replicas) {
      const room = replicas + maxSurge - totalPods();
      if (room > 0)
        newRs = this.replicaSets.scale(
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
    const scaleDown = (r: RsInfo, n: number): RsInfo =>
      this.replicaSets.scale(o, r, r.spec - n, r.revision, replicas, maxSurge, minReady, now);
    // Unhealthy old pods go first: they cost no availability.
    let scaled = 0;
    for (let i = 0; i < olds.length && scaled < maxScaledDown; i++) {
      const r = olds[i];
      if (!r || r.spec === 0 || r.spec === avail(r)) continue;
      const n = Math.min(maxScaledDown - scaled, r.spec - avail(r));
      olds[i] = scaleDown(r, n);
      scaled += n;
    }
    const available = [newRs, ...olds].reduce((a, r) => a + avail(r), 0);
    let budget = available - minAvailable;
    for (let i = 0; i < olds.length && budget > 0; i++) {
      const r = olds[i];
      if (!r || r.spec === 0) continue;
      const n = Math.min(r.spec, budget);
      olds[i] = scaleDown(r, n);
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
      if (r.spec > 0) this.replicaSets.scale(o, r, 0, r.revision, replicas, 0, minReady, now);
    if (!newRs || olds.some((r) => this.replicaSets.oldPodsRunning(r))) return;
    if (newRs.spec !== replicas)
      this.replicaSets.scale(o, newRs, replicas, newRs.revision, replicas, 0, minReady, now);
  }
}
