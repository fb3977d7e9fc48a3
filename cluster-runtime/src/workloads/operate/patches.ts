/**
 * The changes `kubectl rollout undo --to-revision`, `rollout restart`, `rollout pause|resume`
 * and `scale` make, as pure functions of the objects they read, so units test them without a
 * cluster.
 *
 * Undo: kubectl sends a JSON patch that replaces `spec.template` with the revision's ReplicaSet
 * template minus `pod-template-hash`, and `metadata.annotations` with the ReplicaSet's
 * annotations except the controller's own (revision, revision-history, desired/max replicas,
 * last-applied-configuration, rollbackTo), which stay as the Deployment had them. Our client
 * speaks JSON merge patch, so "replace" is spelled as the merge patch from the current value to
 * the wanted one (keys that go away become `null`) — the same result — and it carries the
 * Deployment's resourceVersion, so a change made meanwhile fails with 409 instead of being
 * overwritten.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollback.go (DeploymentRollbacker)
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/objectrestarter.go
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/objectpauser.go
 * @see https://datatracker.ietf.org/doc/html/rfc7386 — JSON Merge Patch
 */
import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  withoutTemplateHash,
} from './history.ts';

/** What `kubectl rollout restart` writes on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** kubectl's annotationsToSkip: kept from the Deployment, never copied from the ReplicaSet. */
export const UNDO_KEEPS_ANNOTATIONS: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values (key order ignored, null keys as absent ones). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    // An absent key and a null one say the same (the API writes `creationTimestamp: null`).
    const keys = Object.keys(a).filter((k) => a[k] !== undefined && a[k] !== null);
    const other = Object.keys(b).filter((k) => b[k] !== undefined && b[k] !== null);
    return keys.length === other.length && keys.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The RFC 7386 merge patch that turns `from` into `to`: removed keys become null, objects
 * recurse, anything else (arrays included: merge patch replaces them whole) is sent as is.
 * Undefined when nothing changes.
 */
export function mergePatchBetween(from: unknown, to: unknown): Json | undefined {
  if (jsonEqual(from, to)) return undefined;
  if (!isObject(from) || !isObject(to)) return (to ?? null) as Json;
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(from)) {
    if (from[key] !== undefined && to[key] === undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const part = mergePatchBetween(from[key], value);
    if (part !== undefined) patch[key] = part;
  }
  return patch;
}

/** Two templates equal but for `pod-template-hash` (kubectl's equalIgnoreHash). */
export function templatesEqualIgnoringHash(
  a: V1PodTemplateSpec | undefined,
  b: V1PodTemplateSpec | undefined,
): boolean {
  return jsonEqual(withoutTemplateHash(a ?? {}), withoutTemplateHash(b ?? {}));
}

/** The Deployment's annotations after an undo to `rs` (kubectl's handling, see the module). */
export function undoAnnotations(
  deployment: V1Deployment,
  rs: V1ReplicaSet,
): Record<string, string> {
  const out: Record<string, string> = {};
  const current = deployment.metadata?.annotations ?? {};
  for (const key of UNDO_KEEPS_ANNOTATIONS) {
    const value = current[key];
    if (value !== undefined) out[key] = value;
  }
  for (const [key, value] of Object.entries(rs.metadata?.annotations ?? {})) {
    if (!UNDO_KEEPS_ANNOTATIONS.includes(key)) out[key] = value;
  }
  return out;
}

export type UndoPlan =
  { kind: 'skip'; reason: string } | { kind: 'patch'; patch: Json; template: V1PodTemplateSpec };

/**
 * What undoing `deployment` to the revision held by `rs` does: nothing when the template
 * already matches (kubectl: "skipped rollback"), else the merge patch. A paused Deployment is
 * refused by the caller first, as kubectl does.
 */
export function planUndo(deployment: V1Deployment, rs: V1ReplicaSet): UndoPlan {
  const target = rs.spec?.template ?? {};
  if (templatesEqualIgnoringHash(target, deployment.spec?.template)) {
    return { kind: 'skip', reason: 'the current template already matches this revision' };
  }
  const template = withoutTemplateHash(target);
  const templatePatch = mergePatchBetween(deployment.spec?.template ?? {}, template);
  const annotationsPatch = mergePatchBetween(
    deployment.metadata?.annotations ?? {},
    undoAnnotations(deployment, rs),
  );
  const metadata: Record<string, Json> = {
    resourceVersion: deployment.metadata?.resourceVersion ?? null,
  };
  if (annotationsPatch !== undefined) metadata['annotations'] = annotationsPatch;
  return {
    kind: 'patch',
    template,
    patch: { metadata, spec: { template: templatePatch ?? {} } },
  };
}

/** kubectl formats `restartedAt` with Go's time.RFC3339 (seconds, no fraction). */
export function restartedAtValue(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The patch of `kubectl rollout restart`: one template annotation, so a new revision. */
export function restartPatch(now: Date): Json {
  return {
    spec: {
      template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAtValue(now) } } },
    },
  };
}

/** The patch of `kubectl rollout pause` / `resume`. */
export function pausePatch(paused: boolean): Json {
  return { spec: { paused } };
}

/** The Scale subresource's merge patch (what `kubectl scale` sends). */
export function scalePatch(replicas: number): Json {
  return { spec: { replicas } };
}
