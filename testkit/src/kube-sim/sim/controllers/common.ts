/**
 * Helpers every workload controller uses: pods from a template with a controller
 * ownerReference, status writes that skip no-ops, and mapping an owned object to its owner's key.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go
 */
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import type { KubeObject, ObjectStore, ResourceKey } from '../../store/types.ts';
import { clone, controllerOf, type Pod, type Wire } from '../model.ts';
import { canonicalJson } from '../prng.ts';

export type PodTemplate = Wire<V1PodTemplateSpec>;

export function ownerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A pod for `owner` from `template`; `name` exact or, ending in '-', a generateName prefix. */
export function podFromTemplate(
  template: PodTemplate | undefined,
  owner: KubeObject,
  name: string,
  extra?: { labels?: Record<string, string>; spec?: Partial<NonNullable<Pod['spec']>> },
): Pod {
  const t = clone(template ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(name.endsWith('-') ? { generateName: name } : { name }),
      namespace: owner.metadata.namespace,
      labels: { ...t.metadata?.labels, ...extra?.labels },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: { ...t.spec, containers: t.spec?.containers ?? [], ...extra?.spec },
  };
}

/** Writes `status` through the status subresource unless it is unchanged. Returns the stored object. */
export function writeStatus(
  store: ObjectStore,
  resource: ResourceKey,
  fresh: KubeObject,
  status: unknown,
): KubeObject {
  if (canonicalJson(fresh.status ?? {}) === canonicalJson(status)) return fresh;
  const next = clone(fresh);
  next.status = status;
  return store.update(resource, next, { subresource: 'status' });
}

/** The `namespace/name` key of an object's controller of the given kind, if any. */
export function ownerKey(object: KubeObject, kind: string): string | undefined {
  const ref = controllerOf(object);
  return ref?.kind === kind && object.metadata.namespace
    ? `${object.metadata.namespace}/${ref.name}`
    : undefined;
}

/** Resolves an int-or-percent (maxSurge, maxUnavailable) against `total`, rounding up or down. */
export function intOrPercent(
  value: number | string | undefined,
  fallback: string,
  total: number,
  roundUp: boolean,
): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** Condition upsert keeping lastTransitionTime when the status does not change. */
export function setCondition<
  T extends {
    type: string;
    status: string;
    lastTransitionTime?: string;
    lastUpdateTime?: string;
    reason?: string;
    message?: string;
  },
>(list: T[] | undefined, next: T, now: string, withUpdateTime = false): T[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? out[i] : undefined;
  const sameStatus = old?.status === next.status;
  const unchanged = sameStatus && old?.reason === next.reason && old?.message === next.message;
  const c: T = {
    ...next,
    lastTransitionTime: sameStatus && old?.lastTransitionTime ? old.lastTransitionTime : now,
    ...(withUpdateTime
      ? { lastUpdateTime: unchanged && old?.lastUpdateTime ? old.lastUpdateTime : now }
      : {}),
  };
  if (i >= 0) out[i] = c;
  else out.push(c);
  return out;
}
