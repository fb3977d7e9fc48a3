/**
 * The live resource registry: built-ins plus resources registered from
 * CustomResourceDefinitions (each served version becomes a resource; removing the CRD removes
 * them). Discovery, routing, RBAC and OpenAPI all read from here.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
 */
import type { KubeObject, ResourceKey } from '../store/types.ts';
import {
  BUILTIN_RESOURCES,
  RW_VERBS,
  type ResourceInfo,
  type SubresourceInfo,
} from './resources.ts';

export interface GroupInfo {
  name: string;
  /** Served versions, preferred first. */
  versions: string[];
}

interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: object; scale?: object };
}

export class ResourceRegistry {
  private readonly resources: ResourceInfo[] = [...BUILTIN_RESOURCES];
  private changeListeners = new Set<() => void>();

  all(): readonly ResourceInfo[] {
    return this.resources;
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.resources.find(
      (r) => r.group === group && r.resource === resource && r.versions.includes(version),
    );
  }

  byKind(group: string, kind: string): ResourceInfo | undefined {
    return this.resources.find((r) => r.group === group && r.kind === kind);
  }

  /** Groups in discovery order (core first), versions preferred first. */
  groups(): GroupInfo[] {
    const out = new Map<string, string[]>();
    for (const r of this.resources) {
      const vs = out.get(r.group) ?? [];
      for (const v of r.versions) if (!vs.includes(v)) vs.push(v);
      out.set(r.group, vs);
    }
    return [...out].map(([name, versions]) => ({ name, versions }));
  }

  inGroupVersion(group: string, version: string): ResourceInfo[] {
    return this.resources.filter((r) => r.group === group && r.versions.includes(version));
  }

  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /** Registers (or re-registers) the resource a CRD defines. */
  registerCrd(crd: KubeObject): void {
    const spec = (crd['spec'] ?? {}) as {
      group?: string;
      names?: CrdNames;
      scope?: string;
      versions?: CrdVersion[];
    };
    const names = spec.names ?? {};
    const name = crd.metadata.name ?? '';
    this.unregisterCrd(name, false);
    const served = (spec.versions ?? []).filter((v) => v.served !== false && v.name !== undefined);
    if (
      spec.group === undefined ||
      names.plural === undefined ||
      names.kind === undefined ||
      served.length === 0
    )
      return;
    // Storage version first, as upstream prefers it in discovery.
    served.sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
    const sub = served[0]?.subresources ?? {};
    const subresources: SubresourceInfo[] = [];
    if (sub.status !== undefined)
      subresources.push({ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] });
    if (sub.scale !== undefined) {
      subresources.push({
        name: 'scale',
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
    this.resources.push({
      group: spec.group,
      versions: served.map((v) => v.name ?? ''),
      resource: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      kind: names.kind,
      namespaced: spec.scope !== 'Cluster',
      ...(names.shortNames === undefined ? {} : { shortNames: names.shortNames }),
      ...(names.categories === undefined ? {} : { categories: names.categories }),
      verbs: RW_VERBS,
      subresources,
      crd: name,
    });
    for (const fn of this.changeListeners) fn();
  }

  unregisterCrd(name: string, notify = true): void {
    const i = this.resources.findIndex((r) => r.crd === name);
    if (i < 0) return;
    this.resources.splice(i, 1);
    if (notify) for (const fn of this.changeListeners) fn();
  }
}

export function keyOf(info: ResourceInfo, version?: string): ResourceKey {
  return {
    group: info.group,
    version: version ?? info.versions[0] ?? 'v1',
    resource: info.resource,
  };
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}
