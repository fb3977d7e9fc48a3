/**
 * Event, in both API versions: core/v1 (what kubectl and most controllers write and read) and
 * events.k8s.io/v1 (the newer shape: `regarding`, `note`, `series`, `deprecated*` fields).
 * Both project to one row, so a pod's details can join events from either by the regarded
 * object's uid. LAST SEEN and COUNT follow `kubectl events` ({@link eventSeen}).
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

/**
 * kubectl's first/last/count rule (`kubectl events`), shared by both shapes:
 * - last seen (its sort key, `eventTime()`): the series' `lastObservedTime`, else
 *   `lastTimestamp` (events.k8s.io: `deprecatedLastTimestamp`), else `eventTime`;
 * - first seen (`getInterval`): `eventTime`, else `firstTimestamp`;
 * - count: the series' count, else `count`; an event without either happened once.
 * Where kubectl would have a zero time (a series without `lastObservedTime`, an event with no
 * time at all) the next known time stands in, so a row always sorts near where it belongs.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/events/events.go (eventTime)
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/events/event_printer.go (getInterval)
 */
export function eventSeen(o: {
  first: Timestamp;
  eventTime: Timestamp;
  last: Timestamp;
  count: number | undefined;
  series: { count?: number; lastObservedTime?: Timestamp } | undefined;
}): { count: number; firstAt?: number; lastAt?: number } {
  const firstAt = timeOf(o.eventTime) ?? timeOf(o.first);
  const lastAt =
    (o.series ? timeOf(o.series.lastObservedTime) : undefined) ??
    timeOf(o.last) ??
    timeOf(o.eventTime) ??
    timeOf(o.first);
  const count = Math.max(1, (o.series ? o.series.count : o.count) ?? 1);
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
    ...eventSeen({
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
    ...eventSeen({
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
