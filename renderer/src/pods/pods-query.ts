/**
 * The Pods table's filter and sort, as pure functions over rows. The visible array is built
 * once when the query changes ({@link fullView}) and then patched once per feed batch
 * ({@link updateView}): the touched rows are found by binary search and taken out, and the ones
 * that still match are put back at their sorted place the same way, so 2,000 updates a second against 100,000
 * pods cost a linear copy per frame, not a sort, and nothing at all when no touched row
 * is or becomes visible.
 *
 * Sort is stable and total: the column's key, then namespace, name and uid, so equal keys
 * never shuffle between frames.
 */
import { podSizeByLabel } from '@nodeless/common';
import type { PodRow } from '../api/workspace-api.ts';
import type { FeedChange } from '../workspace/feed-store.ts';
import { matchesSelector, type Requirement } from './label-selector.ts';

export const POD_COLUMNS = [
  'name',
  'namespace',
  'owner',
  'status',
  'size',
  'restarts',
  'age',
] as const;
export type PodColumn = (typeof POD_COLUMNS)[number];

/** Status groups of the filter; `problem` is anything not running fine nor finished. */
export const STATUS_FILTERS = [
  'all',
  'running',
  'pending',
  'problem',
  'terminating',
  'succeeded',
  'failed',
] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface PodQuery {
  /** `''`: every namespace. */
  namespace: string;
  selector: readonly Requirement[];
  status: StatusFilter;
  /** Matched, case-insensitively, against the pod's name and its owner workload's name. */
  text: string;
  sort: PodColumn;
  descending: boolean;
}

export const DEFAULT_QUERY: PodQuery = {
  namespace: '',
  selector: [],
  status: 'all',
  text: '',
  sort: 'name',
  descending: false,
};

function statusMatches(filter: StatusFilter, r: PodRow): boolean {
  const terminating = r.deletedAt !== undefined;
  switch (filter) {
    case 'all':
      return true;
    case 'terminating':
      return terminating;
    case 'running':
      // Phase Running but CrashLoopBackOff is not what people mean by running.
      return !terminating && r.phase === 'Running' && r.status === 'Running';
    case 'pending':
      return !terminating && r.phase === 'Pending';
    case 'succeeded':
      return r.phase === 'Succeeded';
    case 'failed':
      return r.phase === 'Failed';
    case 'problem':
      if (terminating || r.phase === 'Succeeded') return false;
      return r.phase !== 'Running' || r.ready < r.total || r.status !== 'Running';
  }
}

/** The row test of a query, with its text lower-cased once. */
export function podMatcher(q: PodQuery): (r: PodRow) => boolean {
  const text = q.text.trim().toLowerCase();
  return (r) =>
    (q.namespace === '' || r.namespace === q.namespace) &&
    statusMatches(q.status, r) &&
    (text === '' ||
      r.name.toLowerCase().includes(text) ||
      (r.owner !== undefined && r.owner.name.toLowerCase().includes(text))) &&
    (q.selector.length === 0 || matchesSelector(q.selector, r.labels));
}

const sizeOrder = new Map<string, number>();
/** Sizes in billing order (vCPU, then memory); unsized first, unknown names after them. */
function sizeKey(label: string | undefined): number {
  if (label === undefined) return -2;
  let k = sizeOrder.get(label);
  if (k === undefined) {
    const s = podSizeByLabel(label);
    // cpu × 2^20 + MiB stays an exact integer for every size of the table.
    k = s ? s.cpuMilli * 2 ** 20 + s.memoryBytes / 2 ** 20 : -1;
    sizeOrder.set(label, k);
  }
  return k;
}

type Key = string | number;

/** A row's key for a column: plain strings and numbers compared with `<`. */
export function sortKey(column: PodColumn, r: PodRow): Key {
  switch (column) {
    case 'name':
      return r.name;
    case 'namespace':
      return r.namespace;
    case 'owner':
      return r.owner ? `${r.owner.kind}/${r.owner.name}` : '';
    case 'status':
      return r.status;
    case 'size':
      return sizeKey(r.size);
    case 'restarts':
      return r.restarts;
    case 'age':
      // Youngest first when ascending, as AGE grows; a pod without a timestamp is the youngest.
      return -(r.createdAt ?? Number.MAX_SAFE_INTEGER);
  }
}

function cmp(a: Key, b: Key): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tieBreak(a: PodRow, b: PodRow): number {
  return cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.uid, b.uid);
}

/** The total order of a query's sort. */
export function podComparator(q: Pick<PodQuery, 'sort' | 'descending'>) {
  const dir = q.descending ? -1 : 1;
  return (a: PodRow, b: PodRow): number =>
    dir * cmp(sortKey(q.sort, a), sortKey(q.sort, b)) || tieBreak(a, b);
}

/** Filters and sorts every row (keys computed once per row, not per comparison). */
export function fullView(rows: Iterable<PodRow>, q: PodQuery): PodRow[] {
  const match = podMatcher(q);
  const keyed: { k: Key; r: PodRow }[] = [];
  for (const r of rows) if (match(r)) keyed.push({ k: sortKey(q.sort, r), r });
  const dir = q.descending ? -1 : 1;
  keyed.sort((a, b) => dir * cmp(a.k, b.k) || tieBreak(a.r, b.r));
  return keyed.map((e) => e.r);
}

/** The first index from `from` whose row does not sort before `r`. */
function lowerBound(
  list: readonly PodRow[],
  r: PodRow,
  compare: (a: PodRow, b: PodRow) => number,
  from: number,
): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid] as PodRow, r) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Above this share of touched rows, a full rebuild is cheaper than patching. */
const PATCH_LIMIT = 0.25;

/**
 * The visible rows after one feed batch: `prev` itself when nothing visible changed, else a
 * new array with the touched rows re-placed.
 */
export function updateView(
  prev: readonly PodRow[],
  change: FeedChange<PodRow>,
  rows: ReadonlyMap<string, PodRow>,
  q: PodQuery,
): readonly PodRow[] {
  if (change.reset || change.before.size > rows.size * PATCH_LIMIT)
    return fullView(rows.values(), q);
  if (change.before.size === 0) return prev;
  const match = podMatcher(q);
  const compare = podComparator(q);
  const added: PodRow[] = [];
  // Where the touched rows were: each old row is found by binary search (prev is sorted by
  // the same total order), so no per-row lookup over the whole array.
  const removeAt: number[] = [];
  for (const [uid, old] of change.before) {
    const r = rows.get(uid);
    if (r && match(r)) added.push(r);
    if (!old) continue;
    const i = lowerBound(prev, old, compare, 0);
    if (i < prev.length && (prev[i] as PodRow).uid === uid) removeAt.push(i);
  }
  if (removeAt.length === 0 && added.length === 0) return prev;
  removeAt.sort((a, b) => a - b);
  const kept: PodRow[] = [];
  let at = 0;
  for (const i of removeAt) {
    for (; at < i; at++) kept.push(prev[at] as PodRow);
    at = i + 1;
  }
  for (; at < prev.length; at++) kept.push(prev[at] as PodRow);
  added.sort(compare);
  const out: PodRow[] = [];
  let from = 0;
  for (const r of added) {
    // First kept row that sorts after r (searching from where the previous one went).
    const hi = lowerBound(kept, r, compare, from);
    for (let i = from; i < hi; i++) out.push(kept[i] as PodRow);
    out.push(r);
    from = hi;
  }
  for (let i = from; i < kept.length; i++) out.push(kept[i] as PodRow);
  return out;
}
