/**
 * The objects of a parsed manifest, checked before the server sees them: each document a
 * mapping with apiVersion, kind and metadata.name (server-side apply cannot generate names),
 * no object twice, the namespace filled in for namespaced kinds (the `default` namespace, as
 * kubectl does without `-n`), and the order to apply them in.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://github.com/helm/helm/blob/main/pkg/release/util/kind_sorter.go (install order)
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ManifestDocument } from './documents.ts';
import type { YamlObjectRef } from './types.ts';

export interface ManifestObject {
  document: ManifestDocument;
  object: KubernetesObject & Record<string, unknown>;
  ref: YamlObjectRef;
}

export interface ShapeProblem {
  document: number;
  field: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects of the non-empty documents, or what is wrong with each one that is not an object. */
export function manifestObjects(documents: readonly ManifestDocument[]): {
  objects: ManifestObject[];
  problems: ShapeProblem[];
} {
  const objects: ManifestObject[] = [];
  const problems: ShapeProblem[] = [];
  const seen = new Set<string>();
  for (const document of documents) {
    const value = document.value;
    if (value === null || value === undefined) continue;
    const problem = (field: string, message: string) =>
      problems.push({ document: document.index, field, message });
    if (!isObject(value)) {
      problem('', 'is not a Kubernetes object (a mapping with apiVersion, kind and metadata)');
      continue;
    }
    const { apiVersion, kind, metadata } = value;
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      problem('apiVersion', 'apiVersion is required');
      continue;
    }
    if (typeof kind !== 'string' || kind === '') {
      problem('kind', 'kind is required');
      continue;
    }
    if (kind.endsWith('List')) {
      problem('kind', `${kind}: write each object as its own document (separated by ---)`);
      continue;
    }
    const name = isObject(metadata) ? metadata['name'] : undefined;
    if (typeof name !== 'string' || name === '') {
      problem(
        isObject(metadata) ? 'metadata' : '',
        'metadata.name is required (server-side apply cannot generate names)',
      );
      continue;
    }
    const namespace = isObject(metadata) ? metadata['namespace'] : undefined;
    const ref: YamlObjectRef = {
      apiVersion,
      kind,
      name,
      ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}),
    };
    const key = refKey(ref);
    if (seen.has(key)) {
      problem('metadata.name', `${kind} ${name} is already in this manifest`);
      continue;
    }
    seen.add(key);
    objects.push({ document, object: value as ManifestObject['object'], ref });
  }
  return { objects, problems };
}

export const refKey = (r: YamlObjectRef): string =>
  `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`;

export const sameRef = (a: YamlObjectRef, b: YamlObjectRef): boolean => refKey(a) === refKey(b);

/** Namespaces and definitions before what lives in them (Helm's install order, abridged). */
const ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'Job',
  'CronJob',
];

/** A stable sort: known kinds in {@link ORDER}, everything else after them in manifest order. */
export function applyOrder<T extends { ref: YamlObjectRef }>(items: readonly T[]): T[] {
  const rank = (kind: string) => {
    const at = ORDER.indexOf(kind);
    return at < 0 ? ORDER.length : at;
  };
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.ref.kind) - rank(b.item.ref.kind) || a.i - b.i)
    .map((x) => x.item);
}
