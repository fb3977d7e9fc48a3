/**
 * The window's place as a hash route, parsed and built in one spot so links, Back/Forward and
 * reload agree: `#/clusters/<id>/<section>` and, for an open pod, `#/clusters/<id>/pods/<ns>/<name>`.
 * The Usage section carries its drill-down and range (`#/clusters/<id>/usage/<ns>/<Kind>/<name>?range=7d`,
 * see ../usage/usage-drill.ts). A cluster link without a section (`#/clusters/<id>`) lets the cluster page pick its default
 * section and replace the entry, so Back does not bounce.
 *
 * @see https://developer.mozilla.org/docs/Web/API/Window/hashchange_event
 */

import type { WorkloadKind, WorkloadRef } from '../workloads/workload-ref.ts';
import { parseUsageView, usageViewSuffix, type UsageView } from '../usage/usage-drill.ts';

/** A cluster's sections with their own URLs (DESIGN.md §7). */
export const SECTIONS = [
  'overview',
  'workloads',
  'pods',
  'events',
  'usage',
  'machines',
  'tenants',
] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_TITLES: Record<Section, string> = {
  overview: 'Overview',
  workloads: 'Workloads',
  pods: 'Pods',
  events: 'Events',
  usage: 'Usage',
  machines: 'Machines',
  tenants: 'Tenants',
};

export interface PodRef {
  namespace: string;
  name: string;
}

export type Route =
  | { kind: 'home' }
  | {
      kind: 'cluster';
      clusterId: string;
      section?: Section;
      pod?: PodRef;
      workload?: WorkloadRef;
      /** Usage section: drill-down and range (absent: all namespaces, the default range). */
      usage?: UsageView;
    };

const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  'Deployment',
  'StatefulSet',
  'Job',
  'CronJob',
  'Pod',
];

function isWorkloadKind(s: string): s is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(s);
}

const PREFIX = '#/clusters/';

function isSection(s: string | undefined): s is Section {
  return (SECTIONS as readonly string[]).includes(s ?? '');
}

function decode(part: string | undefined): string {
  if (!part) return '';
  try {
    return decodeURIComponent(part);
  } catch {
    // A hand-edited URL with a stray "%": use it as written rather than failing the page.
    return part;
  }
}

/** The route of a location hash; anything unknown is home (or the cluster without section). */
export function parseRoute(hash: string): Route {
  if (!hash.startsWith(PREFIX)) return { kind: 'home' };
  const q = hash.indexOf('?');
  const query = q < 0 ? '' : hash.slice(q + 1);
  const parts = hash.slice(PREFIX.length, q < 0 ? undefined : q).split('/');
  const clusterId = decode(parts[0]);
  if (!clusterId) return { kind: 'home' };
  const section = parts[1];
  if (!isSection(section)) return { kind: 'cluster', clusterId };
  const namespace = decode(parts[2]);
  const name = decode(parts[3]);
  if (section === 'pods' && namespace && name) {
    return { kind: 'cluster', clusterId, section, pod: { namespace, name } };
  }
  if (section === 'usage') {
    return { kind: 'cluster', clusterId, section, usage: parseUsageView(parts.slice(2), query) };
  }
  if (section === 'workloads') {
    const kind = decode(parts[2]);
    const ns = decode(parts[3]);
    const workloadName = decode(parts[4]);
    if (isWorkloadKind(kind) && ns && workloadName) {
      return {
        kind: 'cluster',
        clusterId,
        section,
        workload: { kind, namespace: ns, name: workloadName },
      };
    }
  }
  return { kind: 'cluster', clusterId, section };
}

/** The hash of a route (`''` for home). */
export function routeHash(route: Route): string {
  if (route.kind === 'home') return '';
  let hash = `${PREFIX}${encodeURIComponent(route.clusterId)}`;
  if (route.section) hash += `/${route.section}`;
  if (route.section === 'pods' && route.pod) {
    hash += `/${encodeURIComponent(route.pod.namespace)}/${encodeURIComponent(route.pod.name)}`;
  }
  if (route.section === 'workloads' && route.workload) {
    const w = route.workload;
    hash += `/${w.kind}/${encodeURIComponent(w.namespace)}/${encodeURIComponent(w.name)}`;
  }
  if (route.section === 'usage' && route.usage) hash += usageViewSuffix(route.usage);
  return hash;
}

/** The link to a cluster's section. */
export function sectionHref(clusterId: string, section: Section): string {
  return routeHash({ kind: 'cluster', clusterId, section });
}
