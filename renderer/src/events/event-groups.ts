/**
 * Events as people read them: repeats grouped, newest first, filtered. The rows already carry
 * kubectl's LAST SEEN and COUNT for either API (cluster-runtime's `eventSeen`); here several
 * Event objects that say the same thing about the same object — the same reason, type and
 * message, e.g. a `BackOff` recorded again after its first Event expired, or once by each API
 * — become one line whose count is their sum, first seen the earliest, last seen the latest.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/events/events.go (SortableEvents)
 */
import type { FeedRows } from '@nodeless/backend/api';

/** An event of either API as the feed carries it (cluster-runtime's EventRow). */
export type EventRow = FeedRows['events'];

export interface EventGroup {
  /** The newest event of the group (its uid keys the line). */
  latest: EventRow;
  /** Occurrences over every event of the group. */
  count: number;
  firstAt?: number;
  lastAt?: number;
  /** How many Event objects the line stands for. */
  objects: number;
}

/** When an event was last seen: kubectl's sort key, creation time when it has none. */
export const lastSeen = (e: EventRow): number => e.lastAt ?? e.firstAt ?? e.createdAt ?? 0;

const objectKey = (e: EventRow): string =>
  e.regarding.uid ?? `${e.regarding.kind}/${e.regarding.namespace ?? ''}/${e.regarding.name}`;

/** One group per object, type, reason and message; newest first (ties by uid, for stability). */
export function groupEvents(rows: Iterable<EventRow>): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  for (const e of rows) {
    const key = `${objectKey(e)}\u0000${e.type}\u0000${e.reason}\u0000${e.message}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        latest: e,
        count: e.count,
        objects: 1,
        ...(e.firstAt === undefined ? {} : { firstAt: e.firstAt }),
        ...(e.lastAt === undefined ? {} : { lastAt: e.lastAt }),
      });
      continue;
    }
    g.count += e.count;
    g.objects += 1;
    if (e.firstAt !== undefined && (g.firstAt === undefined || e.firstAt < g.firstAt)) {
      g.firstAt = e.firstAt;
    }
    if (e.lastAt !== undefined && (g.lastAt === undefined || e.lastAt > g.lastAt)) {
      g.lastAt = e.lastAt;
    }
    if (lastSeen(e) > lastSeen(g.latest)) g.latest = e;
  }
  return [...groups.values()].sort(newestFirst);
}

function newestFirst(a: EventGroup, b: EventGroup): number {
  const d = (b.lastAt ?? lastSeen(b.latest)) - (a.lastAt ?? lastSeen(a.latest));
  if (d !== 0) return d;
  return a.latest.uid < b.latest.uid ? -1 : a.latest.uid > b.latest.uid ? 1 : 0;
}

export interface EventFilter {
  /** Exact namespace; '' = all. */
  namespace: string;
  /** 'Normal', 'Warning'; '' = all. */
  type: string;
  /** Case-insensitive substring of the reason. */
  reason: string;
  /** Case-insensitive substring of `Kind/name` of the regarded object. */
  object: string;
}

export const NO_FILTER: EventFilter = { namespace: '', type: '', reason: '', object: '' };

/** `Pod/web-1`: how the object column writes the regarded object (kubectl events' OBJECT). */
export const objectLabel = (e: EventRow): string => `${e.regarding.kind}/${e.regarding.name}`;

/** The filter as one predicate (lower-cased once, not per row). */
export function eventMatcher(f: EventFilter): (e: EventRow) => boolean {
  const reason = f.reason.trim().toLowerCase();
  const object = f.object.trim().toLowerCase();
  return (e) =>
    (f.namespace === '' || e.namespace === f.namespace) &&
    (f.type === '' || e.type === f.type) &&
    (reason === '' || e.reason.toLowerCase().includes(reason)) &&
    (object === '' || objectLabel(e).toLowerCase().includes(object));
}
