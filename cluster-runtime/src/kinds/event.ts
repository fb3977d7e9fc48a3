/**
 * Event, in both API versions: core/v1 (what kubectl and most controllers write and read) and
 * events.k8s.io/v1 (the newer shape: `regarding`, `note`, `series`, `deprecated*` fields).
 * Both project to one row, so a pod's details can join events from either by the regarded
 * object's uid. LAST SEEN and COUNT follow kubectl: a series wins, else `lastTimestamp`, else
 * the first time (`firstTimestamp` or `eventTime`); a singleton from the new API counts 1.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1-events/ (events.k8s.io/v1)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printEvent)
 */
import type { CoreV1Event, EventsV1Event, V1ObjectReference } from '@kubernetes/client-node';
import { kindIdentity, rowBase, timeOf, type RowBase, type Timestamp } from './kind.ts';

export const EVENT = kindIdentity('', 'v1', 'Event', 'events', true);
export const EVENT_V1 = kindIdentity('events.k8s.io', 'v1', 'Event', 'events', true);

export interface EventRow extends RowBase {
  namespace: string;
  /** Normal or Warning. */
  type: string;
  reason: string;
  message: string;
  /** The object the event is about. */
  regarding: { kind: string; name: string; namespace?: string; uid?: string };
  count: number;
  firstAt?: number;
  lastAt?: number;
  /** Who reported it (`kubelet`, `default-scheduler` …). */
  source: string;
}

function regarding(ref: V1ObjectReference | undefined): EventRow['regarding'] {
  return {
    kind: ref?.kind ?? '',
    name: ref?.name ?? '',
    ...(ref?.namespace ? { namespace: ref.namespace } : {}),
    ...(ref?.uid ? { uid: ref.uid } : {}),
  };
}

/** kubectl's first/last/count rule, shared by both shapes. */
function seen(o: {
  first: Timestamp;
  eventTime: Timestamp;
  last: Timestamp;
  count: number | undefined;
  series: { count?: number; lastObservedTime?: Timestamp } | undefined;
}): { count: number; firstAt?: number; lastAt?: number } {
  const firstAt = timeOf(o.first) ?? timeOf(o.eventTime);
  let lastAt = timeOf(o.last) ?? firstAt;
  let count = o.count ?? 0;
  if (o.series) {
    lastAt = timeOf(o.series.lastObservedTime) ?? lastAt;
    count = o.series.count ?? count;
  } else if (count === 0) count = 1;
  return {
    count,
    ...(firstAt === undefined ? {} : { firstAt }),
    ...(lastAt === undefined ? {} : { lastAt }),
  };
}

export function coreEventRow(e: CoreV1Event): EventRow {
  const base = rowBase(e);
  return {
    ...base,
    namespace: base.namespace ?? '',
    type: e.type ?? '',
    reason: e.reason ?? '',
    message: e.message ?? '',
    regarding: regarding(e.involvedObject),
    ...seen({
      first: e.firstTimestamp,
      eventTime: e.eventTime,
      last: e.lastTimestamp,
      count: e.count,
      series: e.series,
    }),
    source: e.source?.component || e.reportingComponent || '',
  };
}

export function eventsV1Row(e: EventsV1Event): EventRow {
  const base = rowBase(e);
  return {
    ...base,
    namespace: base.namespace ?? '',
    type: e.type ?? '',
    reason: e.reason ?? '',
    message: e.note ?? '',
    regarding: regarding(e.regarding),
    ...seen({
      first: e.deprecatedFirstTimestamp,
      eventTime: e.eventTime,
      last: e.deprecatedLastTimestamp,
      count: e.deprecatedCount,
      series: e.series,
    }),
    source: e.reportingController || e.deprecatedSource?.component || '',
  };
}

/** The row of an event of either API version (by its apiVersion; core/v1 when absent). */
export function eventRow(e: CoreV1Event | EventsV1Event): EventRow {
  return e.apiVersion === EVENT_V1.apiVersion
    ? eventsV1Row(e as EventsV1Event)
    : coreEventRow(e as CoreV1Event);
}
