/**
 * Custom resources whose CustomResourceDefinition is in the same manifest. They cannot be
 * dry-run before the CRD exists (the server does not know the kind), and right after the CRD is
 * applied the kind is not served yet: the API server first checks the names (NamesAccepted),
 * then serves the resource (Established), and the group-version's discovery document is
 * published by yet another controller a moment later. kubectl applies such a manifest in one go
 * and fails on the custom resources the first time ("ensure CRDs are installed first"); Nodeless
 * waits for the kind to be served, bounded, then applies them.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#create-a-customresourcedefinition
 * @see https://github.com/kubernetes/apiextensions-apiserver/blob/master/pkg/apiserver/customresource_discovery_controller.go
 */
import { UnknownResourceError, type KubeClient } from '@nodeless/cluster-runtime';
import type { ManifestObject } from './manifest-objects.ts';
import type { YamlObjectRef } from './types.ts';

/** How long applying waits for a kind defined in the same manifest to be served. */
export const SERVED_TIMEOUT_MS = 60_000;
const POLL_MS = 200;

/** `group/version/Kind`, as an apiVersion and kind name it. */
export const kindKey = (ref: Pick<YamlObjectRef, 'apiVersion' | 'kind'>): string =>
  `${ref.apiVersion}/${ref.kind}`;

/** Kinds the manifest's CRDs define, one key per served version. */
export function definedKinds(objects: readonly ManifestObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const { ref, object } of objects) {
    if (ref.kind !== 'CustomResourceDefinition') continue;
    const spec = object['spec'] as
      { group?: string; names?: { kind?: string }; versions?: { name?: string }[] } | undefined;
    for (const v of spec?.versions ?? [])
      kinds.add(`${spec?.group ?? ''}/${v.name ?? ''}/${spec?.names?.kind ?? ''}`);
  }
  return kinds;
}

export interface ServedWait {
  signal?: AbortSignal;
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `item` once its kind is served, with the namespace a namespaced object without one gets
 * (`default`, as in the dry run); undefined when the kind is still not served at the deadline.
 */
export async function whenServed(
  client: Pick<KubeClient, 'resource'>,
  item: ManifestObject,
  wait: ServedWait = {},
): Promise<ManifestObject | undefined> {
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + (wait.timeoutMs ?? SERVED_TIMEOUT_MS);
  const type = { apiVersion: item.ref.apiVersion, kind: item.ref.kind };
  for (;;) {
    wait.signal?.throwIfAborted();
    try {
      const resource = await client.resource(type);
      if (!resource.namespaced || item.ref.namespace !== undefined) {
        const { namespace: _dropped, ...named } = item.ref;
        return resource.namespaced ? item : { ...item, ref: named };
      }
      return { ...item, ref: { ...item.ref, namespace: 'default' } };
    } catch (error) {
      if (!(error instanceof UnknownResourceError)) throw error;
    }
    if (now() >= deadline) return undefined;
    await sleep(POLL_MS);
  }
}
