/**
 * The Workloads list's derived state, pure: rows grouped by namespace (namespaces sorted, rows
 * by name then kind), a filter on name/image/kind, and the flat list the virtualised grid
 * renders — a header item per namespace, then its rows unless the group is collapsed. Plus the
 * words of its cells: READY, size (`2 vCPU / 4 GiB`, "not sized"), status colour.
 */
import { describeSize, isTenantNamespace, podSizeByLabel } from '@nodeless/common';
import type { WorkloadRow } from '@nodeless/backend/api';
import type { WorkloadRef } from './workload-ref.ts';

export type ListItem =
  | { type: 'group'; namespace: string; count: number; warnings: number; collapsed: boolean }
  | { type: 'row'; row: WorkloadRow };

/** Kinds in the order a reader expects them within a name (a Deployment before its pods). */
const KIND_ORDER: Record<WorkloadRow['kind'], number> = {
  Deployment: 0,
  StatefulSet: 1,
  CronJob: 2,
  Job: 3,
  Pod: 4,
};

const byName = (a: WorkloadRow, b: WorkloadRow): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind];

/** Does a row match the filter text (name, kind, image, status; case-insensitive)? */
export function matches(row: WorkloadRow, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === '') return true;
  return (
    row.name.toLowerCase().includes(t) ||
    row.kind.toLowerCase() === t ||
    row.status.toLowerCase().includes(t) ||
    row.images.some((i) => i.toLowerCase().includes(t))
  );
}

/**
 * The grid's items: one group header per namespace with rows, then its rows (none when
 * collapsed). One pass to group, one sort per namespace: O(n log n) per change of the feed.
 */
export function listItems(
  rows: Iterable<WorkloadRow>,
  text: string,
  collapsed: ReadonlySet<string>,
): ListItem[] {
  const groups = new Map<string, WorkloadRow[]>();
  for (const r of rows) {
    if (!matches(r, text)) continue;
    const list = groups.get(r.namespace);
    if (list) list.push(r);
    else groups.set(r.namespace, [r]);
  }
  const items: ListItem[] = [];
  for (const namespace of [...groups.keys()].sort()) {
    const list = groups.get(namespace) ?? [];
    const isCollapsed = collapsed.has(namespace);
    items.push({
      type: 'group',
      namespace,
      count: list.length,
      warnings: list.filter((r) => r.warning).length,
      collapsed: isCollapsed,
    });
    if (!isCollapsed) for (const row of list.sort(byName)) items.push({ type: 'row', row });
  }
  return items;
}

/** The READY cell: `2/3`; a CronJob has nothing desired, it says how many jobs run. */
export function readyText(row: WorkloadRow): string {
  if (row.kind === 'CronJob') return `${row.ready} active`;
  return `${row.ready}/${row.desired}`;
}

/** `2 vCPU / 4 GiB`, or undefined when not sized (or a name the table does not have). */
export function sizeWords(size: string | undefined): string | undefined {
  const s = size === undefined ? undefined : podSizeByLabel(size);
  return s ? describeSize(s) : size;
}

/** The status in words, pods waiting for room first: it is why the workload does not progress. */
export function statusText(row: WorkloadRow): string {
  return row.poolFull ? `Pool full: ${row.poolFull.pods} waiting · ${row.status}` : row.status;
}

/** The status cell's colour class. */
export function stateClass(row: WorkloadRow): string {
  if (row.state === 'failed') return 'st-bad';
  if (row.warning || row.poolFull) return 'st-warn';
  if (row.state === 'available' || row.state === 'complete' || row.state === 'running')
    return 'st-ok';
  return 'st-muted';
}

/** The row of a workload ref (one scan per navigation, never per render of a row). */
export function findWorkload(
  rows: ReadonlyMap<string, WorkloadRow>,
  ref: WorkloadRef,
): WorkloadRow | undefined {
  for (const r of rows.values()) {
    if (r.kind === ref.kind && r.namespace === ref.namespace && r.name === ref.name) return r;
  }
  return undefined;
}

/** The apiVersion of a workload kind (for the YAML editor's `edit`). */
export function apiVersionOf(kind: WorkloadRow['kind']): string {
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return 'apps/v1';
    case 'Job':
    case 'CronJob':
      return 'batch/v1';
    case 'Pod':
      return 'v1';
  }
}

/** Whether a pod row belongs to the workload (its resolved owner, or itself for a bare pod). */
export function ownsPod(
  ref: WorkloadRef,
  pod: { namespace: string; name: string; owner?: { kind: string; name: string } },
): boolean {
  if (pod.namespace !== ref.namespace) return false;
  if (ref.kind === 'Pod') return pod.owner === undefined && pod.name === ref.name;
  return pod.owner?.kind === ref.kind && pod.owner.name === ref.name;
}

/**
 * The namespaces the system owns (kube-*, nodeless-system): the backend refuses to delete them
 * (cluster-runtime's reservedNamespaceProblem), so the list does not offer it.
 */
export function isSystemNamespace(namespace: string): boolean {
  return !isTenantNamespace(namespace);
}
