/**
 * Where the Usage section is drilled to, as state the URL carries:
 * `#/clusters/<id>/usage[/<namespace>[/<Kind>/<name> | /-]][?range=7d]` — all namespaces, one
 * namespace's workloads, or one workload's pods (`-` = the namespace's bare pods, which have no
 * owner). Parsed and built here, in one spot, so links, Back/Forward and reload agree; the
 * table's grouping and the breadcrumbs follow from it.
 *
 * @see ../ui/route-model.ts — the rest of the window's route
 */
import type { UsageGroupBy, UsageRow, UsageTableInput } from '@nodeless/backend/api';
import { DEFAULT_RANGE, parseRange, rangeText, type UsageRange } from './usage-range.ts';

export interface UsageDrill {
  namespace?: string;
  /** Within `namespace`: `Kind/name`, or `''` for the bare pods. */
  workload?: string;
}

export interface UsageView {
  drill: UsageDrill;
  range: UsageRange;
}

export const TOP: UsageDrill = {};
/** The bare pods of a namespace in the URL (no workload can be named `-`: not a DNS label). */
const BARE = '-';

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The view from what follows `usage` in the hash: `parts` are the path segments after it,
 * `query` what follows `?` (without it).
 */
export function parseUsageView(parts: readonly string[], query: string): UsageView {
  const range = parseRange(new URLSearchParams(query).get('range') ?? undefined);
  const [ns, kind, name] = parts.map(decode);
  if (!ns) return { drill: TOP, range };
  if (kind === BARE) return { drill: { namespace: ns, workload: '' }, range };
  if (kind && name) return { drill: { namespace: ns, workload: `${kind}/${name}` }, range };
  return { drill: { namespace: ns }, range };
}

/** What follows `usage` in the hash: `''`, `/shop`, `/shop/Deployment/web`, plus `?range=`. */
export function usageViewSuffix(view: UsageView): string {
  const { drill, range } = view;
  let path = '';
  if (drill.namespace) {
    path += `/${encodeURIComponent(drill.namespace)}`;
    if (drill.workload === '') path += `/${BARE}`;
    else if (drill.workload) {
      const [kind = '', ...rest] = drill.workload.split('/');
      path += `/${encodeURIComponent(kind)}/${encodeURIComponent(rest.join('/'))}`;
    }
  }
  const text = rangeText(range);
  return text === rangeText(DEFAULT_RANGE) ? path : `${path}?range=${encodeURIComponent(text)}`;
}

/** The grouping of the table at a drill level: namespaces, then workloads, then pods. */
export function groupOf(drill: UsageDrill): UsageGroupBy {
  if (drill.workload !== undefined) return 'pod';
  return drill.namespace ? 'workload' : 'namespace';
}

/** The table input at a drill level. */
export function tableInput(
  clusterId: string,
  drill: UsageDrill,
  span: { from: string; to: string },
): UsageTableInput {
  return {
    clusterId,
    from: span.from,
    to: span.to,
    by: groupOf(drill),
    ...(drill.namespace ? { namespace: drill.namespace } : {}),
    ...(drill.namespace && drill.workload !== undefined ? { workload: drill.workload } : {}),
  };
}

/** Where clicking a row goes; undefined for a pod row (the deepest level). */
export function drillInto(drill: UsageDrill, row: UsageRow): UsageDrill | undefined {
  if (row.pod) return undefined;
  if (!drill.namespace) return { namespace: row.namespace };
  if (drill.workload !== undefined) return undefined;
  return {
    namespace: row.namespace,
    workload: row.workload ? `${row.workload.kind}/${row.workload.name}` : '',
  };
}

export interface Crumb {
  label: string;
  drill: UsageDrill;
}

/** The breadcrumbs to a drill level, the current one last. */
export function crumbs(drill: UsageDrill): Crumb[] {
  const out: Crumb[] = [{ label: 'All namespaces', drill: TOP }];
  if (!drill.namespace) return out;
  out.push({ label: drill.namespace, drill: { namespace: drill.namespace } });
  if (drill.workload === undefined) return out;
  out.push({
    label: drill.workload === '' ? 'Pods without a workload' : drill.workload,
    drill: { namespace: drill.namespace, workload: drill.workload },
  });
  return out;
}

/** A row's name in the table at its level. */
export function rowLabel(row: UsageRow): string {
  if (row.pod) return row.pod.name;
  if (row.workload) return `${row.workload.kind}/${row.workload.name}`;
  return row.key.endsWith('/') ? 'Pods without a workload' : row.namespace;
}
