/**
 * The ReplicaSets of a Deployment as its controller (`./deployment.ts`) reads and writes them:
 * naming by pod-template-hash, per-ReplicaSet pod counts, creating and scaling them (with the
 * revision and desired/max-replicas annotations and ScalingReplicaSet events), and deleting
 * history beyond revisionHistoryLimit. The rollout decisions themselves stay in the controller.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/sync.go
 */
import type { KubeObject } from '../../store/types.ts';
import type { Cache } from '../cache.ts';
import { deleteQuietly, type SimContext } from '../context.ts';
import { R, clone, raw, view, type Deployment, type Pod, type ReplicaSet } from '../model.ts';
import { isActive, isAvailable, isReady, isTerminal } from '../pods.ts';
import { canonicalJson, fnv32a, safeEncode } from '../prng.ts';
import { ownerRef, type PodTemplate } from './common.ts';

/** Annotation holding a Deployment's (and each of its ReplicaSets') rollout revision. */
export const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';
const SOURCE = { component: 'deployment-controller' };

/** One ReplicaSet of a Deployment with the counts of its pods. */
export interface RsInfo {
  obj: KubeObject;
  rs: ReplicaSet;
  spec: number;
  active: number;
  ready: number;
  available: number;
  revision: number;
}

/** Template equality ignoring pod-template-hash (EqualIgnoreHash). */
export function templateKey(t: PodTemplate | undefined): string {
  const c = clone(t ?? {});
  if (c.metadata?.labels) {
    const { [HASH]: _hash, ...rest } = c.metadata.labels;
    c.metadata.labels = rest;
  }
  return canonicalJson(c);
}

/** The pod-template-hash label value of `t` (also used by DaemonSets and StatefulSets). */
export function podTemplateHash(t: PodTemplate | undefined, collisionCount = 0): string {
  return safeEncode(fnv32a(`${templateKey(t)}/${collisionCount}`));
}

/** Creation time of a ReplicaSet in ms, 0 when unknown: the order old ReplicaSets go in. */
export function created(r: RsInfo): number {
  return Date.parse(r.obj.metadata.creationTimestamp ?? '') || 0;
}

/** Reads, creates, scales and deletes the ReplicaSets of Deployments. */
export class DeploymentReplicaSets {
  constructor(
    private readonly ctx: SimContext,
    private readonly pods: Cache,
    private readonly sets: Cache,
  ) {}

  /** `o` with its active, ready and available (after `minReady` s at `now`) pods counted. */
  info(o: KubeObject, minReady: number, now: number): RsInfo {
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

  /** Whether any pod of `r` has not yet terminated (Recreate waits for none). */
  oldPodsRunning(r: RsInfo): boolean {
    return this.pods.ownedBy(r.obj.metadata.uid).some((p) => !isTerminal(view<Pod>(p)));
  }

  /** Creates the ReplicaSet of `d`'s current template at `revision` with `count` replicas. */
  create(
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

  /** Scales `r` to `to` and stamps `revision` and the desired/max-replicas annotations. */
  scale(
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
  cleanup(o: KubeObject, d: Deployment, olds: RsInfo[]): void {
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
