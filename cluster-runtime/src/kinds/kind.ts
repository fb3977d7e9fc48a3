/**
 * What every per-kind module shares (Headlamp's `lib/k8s/<kind>` pattern): the resource identity
 * (group, version, plural, scope — what a URL and a watch cache need) and the pieces of a slim
 * list row every kind has (uid, name, namespace, age source). Rows carry no `managedFields`, no
 * spec or status blobs: a list of 100,000 pods keeps only what a table shows.
 *
 * Objects come from the API as JSON. client-node's model types say `Date` for timestamps (its
 * typed APIs convert them), but the wire, our client and watch events carry RFC 3339 strings;
 * {@link timeOf} accepts both so a row is the same whichever path the object took.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/
 * @see https://github.com/kubernetes-sigs/headlamp/tree/main/frontend/src/lib/k8s
 */
import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import type { ApiResource } from '../kube/discovery.ts';

/** A kind's identity: enough to build its URLs and name its watch cache without discovery. */
export interface KindIdentity extends ApiResource {
  /** `''` for the core group. */
  group: string;
  version: string;
}

export function kindIdentity(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
): KindIdentity {
  const apiVersion = group === '' ? version : `${group}/${version}`;
  return { group, version, apiVersion, kind, plural, namespaced };
}

/** Fields every row has. */
export interface RowBase {
  uid: string;
  name: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  /** metadata.creationTimestamp in ms since the epoch: the AGE column's source. */
  createdAt?: number;
}

/** A reference to another object by kind and name (same namespace). */
export interface ObjectRef {
  kind: string;
  name: string;
}

/** A timestamp as the API sends it (string) or as client-node's typed APIs give it (Date). */
export type Timestamp = Date | string | null | undefined;

/** ms since the epoch, or undefined when absent or unparseable. */
export function timeOf(t: Timestamp): number | undefined {
  if (t === null || t === undefined) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

export function rowBase(o: KubernetesObject): RowBase {
  const m = o.metadata;
  const createdAt = timeOf(m?.creationTimestamp);
  return {
    uid: m?.uid ?? '',
    name: m?.name ?? '',
    ...(m?.namespace ? { namespace: m.namespace } : {}),
    ...(createdAt === undefined ? {} : { createdAt }),
  };
}

/** The managing controller (ownerReference with `controller: true`), as kind and name. */
export function controllerOf(o: KubernetesObject): ObjectRef | undefined {
  const ref: V1OwnerReference | undefined = o.metadata?.ownerReferences?.find(
    (r) => r.controller === true,
  );
  return ref ? { kind: ref.kind, name: ref.name } : undefined;
}

/** The status of the condition of `type` (`True`/`False`/`Unknown`), or undefined. */
export function conditionStatus(
  conditions: readonly { type: string; status: string }[] | undefined,
  type: string,
): string | undefined {
  return conditions?.find((c) => c.type === type)?.status;
}

/** Container images of a pod template, in order, without duplicates. */
export function templateImages(
  spec: { containers?: readonly { image?: string }[] } | undefined,
): string[] {
  return [...new Set((spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean))];
}
