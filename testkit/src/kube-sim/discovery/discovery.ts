/**
 * Discovery documents from the registry: legacy (`/api`, `/api/v1`, `/apis`, `/apis/<g>/<v>`)
 * and aggregated (`apidiscovery.k8s.io/v2` APIGroupDiscoveryList), which kubectl 1.30+ asks for
 * with `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,…`.
 *
 * @see https://github.com/kubernetes/api/blob/master/apidiscovery/v2/types.go
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-api-machinery/3352-aggregated-discovery
 */
import { apiVersionOf, type ResourceRegistry } from '../registry/registry.ts';
import type { ResourceInfo } from '../registry/resources.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header asks for aggregated discovery v2. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept
    .split(',')
    .map((p) => p.replace(/\s+/g, ''))
    .some(
      (p) =>
        p.includes('g=apidiscovery.k8s.io') &&
        p.includes('v=v2;') &&
        p.includes('as=APIGroupDiscoveryList'),
    );
}

function legacyResources(r: ResourceInfo, version: string): object[] {
  const main = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames === undefined ? {} : { shortNames: r.shortNames }),
    ...(r.categories === undefined ? {} : { categories: r.categories }),
  };
  const subs = r.subresources.map((s) => ({
    name: `${r.resource}/${s.name}`,
    singularName: '',
    namespaced: r.namespaced,
    ...(s.group === undefined ? {} : { group: s.group, version: s.version }),
    kind: s.kind,
    verbs: s.verbs,
  }));
  void version;
  return [main, ...subs];
}

/** `/api/v1` or `/apis/<g>/<v>`: an APIResourceList. */
export function resourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): object | undefined {
  const rs = registry.inGroupVersion(group, version);
  if (rs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    resources: rs.flatMap((r) => legacyResources(r, version)),
  };
}

export function legacyApiVersions(): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  };
}

function groupObject(name: string, versions: string[]): object {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function legacyGroupList(registry: ResourceRegistry): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.name !== '')
      .map((g) => groupObject(g.name, g.versions)),
  };
}

export function legacyGroup(registry: ResourceRegistry, name: string): object | undefined {
  const g = registry.groups().find((x) => x.name === name && name !== '');
  return g === undefined
    ? undefined
    : { kind: 'APIGroup', apiVersion: 'v1', ...groupObject(g.name, g.versions) };
}

function aggregatedResource(r: ResourceInfo, version: string): object {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames === undefined ? {} : { shortNames: r.shortNames }),
    ...(r.categories === undefined ? {} : { categories: r.categories }),
    ...(r.subresources.length === 0
      ? {}
      : {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: {
              group: s.group ?? r.group,
              version: s.version ?? version,
              kind: s.kind,
            },
            verbs: s.verbs,
          })),
        }),
  };
}

/** Aggregated discovery for `/api` (core only) or `/apis` (every other group). */
export function aggregated(registry: ResourceRegistry, core: boolean): object {
  const items = registry
    .groups()
    .filter((g) => (g.name === '') === core)
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry.inGroupVersion(g.name, v).map((r) => aggregatedResource(r, v)),
        freshness: 'Current',
      })),
    }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items,
  };
}
