/**
 * A check → apply → verify step over a set of manifests: check reads each object back and
 * compares the fields Nodeless manages; apply server-side-applies only the objects that drifted
 * (field manager `nodeless`); verify re-reads. A second run therefore reports `satisfied` and
 * sends nothing.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { quantityEquals } from '@nodeless/common';
import type { KubeClient } from '../client.ts';
import type { CheckResult, StepContext } from '@nodeless/common';
import type { ClusterPhase, ClusterStep } from '../steps/types.ts';

type Json = unknown;

/**
 * Whether `actual` carries every field of `desired` with the same value (objects: subset;
 * arrays: same length, element-wise; strings that are both quantities: numerically equal, since
 * API servers may canonicalise `0.25` to `250m`). Server-added fields are ignored.
 */
export function containsDesired(desired: Json, actual: Json): boolean {
  if (desired === actual) return true;
  if (typeof desired === 'string' && typeof actual === 'string')
    return quantityEquals(desired, actual);
  if (Array.isArray(desired))
    return (
      Array.isArray(actual) &&
      actual.length === desired.length &&
      desired.every((d, i) => containsDesired(d, actual[i]))
    );
  if (desired !== null && typeof desired === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, Json>;
    return Object.entries(desired as Record<string, Json>).every(([k, v]) =>
      containsDesired(v, a[k]),
    );
  }
  return false;
}

/** `RuntimeClass kata-clh`, `ConfigMap nodeless-system/x`. */
export function describeObject(o: KubernetesObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? 'object'} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}

/** Objects whose live state lacks some desired field (missing ones included). */
export async function driftedObjects(
  client: KubeClient,
  objects: readonly KubernetesObject[],
  signal?: AbortSignal,
): Promise<{ object: KubernetesObject; missing: boolean }[]> {
  const drifted: { object: KubernetesObject; missing: boolean }[] = [];
  for (const object of objects) {
    // Any kind: the client finds its resource by discovery (CRDs included).
    const type = { apiVersion: object.apiVersion ?? '', kind: object.kind ?? '' };
    const live = await client.get(
      type,
      object.metadata?.name ?? '',
      object.metadata?.namespace,
      signal,
    );
    // Only labels/annotations of metadata are ours to compare (name/namespace addressed it).
    const { metadata, ...rest } = object;
    const desired = {
      ...rest,
      metadata: {
        ...(metadata?.labels ? { labels: metadata.labels } : {}),
        ...(metadata?.annotations ? { annotations: metadata.annotations } : {}),
      },
    };
    if (!live) drifted.push({ object, missing: true });
    else if (!containsDesired(desired, live)) drifted.push({ object, missing: false });
  }
  return drifted;
}

export interface ManifestStepOptions {
  key: string;
  phase: ClusterPhase;
  title: string;
  client(): KubeClient;
  /** The desired objects; may read the cluster (e.g. the policy params read the nodes). */
  objects(
    client: KubeClient,
    signal: AbortSignal,
  ): KubernetesObject[] | Promise<KubernetesObject[]>;
}

export function manifestStep(options: ManifestStepOptions): ClusterStep {
  const check = async (ctx: StepContext): Promise<CheckResult> => {
    const client = options.client();
    const objects = await options.objects(client, ctx.signal);
    const drifted = await driftedObjects(client, objects, ctx.signal);
    if (drifted.length === 0)
      return {
        satisfied: true,
        detail: `in place: ${objects.map(describeObject).join(', ') || 'nothing to apply'}`,
      };
    return {
      satisfied: false,
      detail: `will apply: ${drifted
        .map((d) => `${describeObject(d.object)} (${d.missing ? 'missing' : 'differs'})`)
        .join(', ')}`,
    };
  };
  return {
    key: options.key,
    phase: options.phase,
    host: null,
    title: options.title,
    check,
    async apply(ctx) {
      const client = options.client();
      const objects = await options.objects(client, ctx.signal);
      const drifted = await driftedObjects(client, objects, ctx.signal);
      let done = 0;
      ctx.progress(done, drifted.length, 'applying manifests');
      for (const { object } of drifted) {
        ctx.signal.throwIfAborted();
        await client.apply(object, { signal: ctx.signal });
        ctx.log(`applied ${describeObject(object)} (server-side, field manager nodeless)`);
        ctx.progress(++done, drifted.length, `applied ${describeObject(object)}`);
      }
    },
    verify: check,
  };
}
