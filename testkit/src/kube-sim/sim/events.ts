/**
 * core/v1 Events as the components write them: an event for the same object, reason and message
 * is aggregated (count++, lastTimestamp) rather than duplicated, as client-go's EventCorrelator
 * does. The API server keeps events for an hour; to bound memory here instead, only the newest
 * `maxEvents` are kept and older ones are deleted.
 *
 * @see https://github.com/kubernetes/client-go/blob/master/tools/record/events_cache.go
 */
import type { SimClock } from '../clock.ts';
import { StoreError, type KubeObject, type ObjectStore } from '../store/types.ts';
import { R, isoTime, microTime, raw, type KubeEvent } from './model.ts';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  /** aggregation key → `namespace/name` of the stored Event, in insertion order (oldest first). */
  private readonly recent = new Map<string, { namespace: string; name: string }>();
  private counter = 0;
  private stopped = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly options: { maxEvents: number; onError: (where: string, e: unknown) => void },
  ) {}

  stop(): void {
    this.stopped = true;
  }

  record(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    if (this.stopped) return;
    const m = involved.metadata;
    const namespace = m.namespace ?? 'default';
    const key = `${m.uid ?? ''}\u0000${fieldPath ?? ''}\u0000${reason}\u0000${message}`;
    const now = this.clock.now();
    try {
      const prior = this.recent.get(key);
      const stored = prior ? this.store.get(R.events, prior.namespace, prior.name) : undefined;
      if (stored) {
        const ev = structuredClone(stored) as unknown as KubeEvent & { metadata: object };
        ev.count = (ev.count ?? 1) + 1;
        ev.lastTimestamp = isoTime(now);
        this.store.update(R.events, raw(ev));
        return;
      }
      // Upstream names events `<object>.<unix nanos in hex>`; a counter stands in for the nanoseconds.
      const name = `${m.name ?? 'unknown'}.${Math.floor(now).toString(16)}${(this.counter++ % 0x100000).toString(16).padStart(5, '0')}`;
      const ev: KubeEvent = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: m.name,
          namespace: m.namespace,
          uid: m.uid,
          resourceVersion: m.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: isoTime(now),
        lastTimestamp: isoTime(now),
        source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
        eventTime: microTime(now),
      };
      // eventTime is null on events written through the core/v1 API by client-go's legacy
      // recorder; kubectl shows firstTimestamp/lastTimestamp. Keep it unset for fidelity.
      delete ev.eventTime;
      this.store.create(R.events, raw(ev));
      this.recent.set(key, { namespace, name });
      this.trim();
    } catch (e) {
      // Events are best effort, as upstream: never fail the component that reports them.
      if (!(e instanceof StoreError && (e.code === 404 || e.code === 409)))
        this.options.onError('event', e);
    }
  }

  private trim(): void {
    while (this.recent.size > this.options.maxEvents) {
      const first = this.recent.entries().next();
      if (first.done) return;
      const [k, ref] = first.value;
      this.recent.delete(k);
      try {
        this.store.delete(R.events, ref.namespace, ref.name, { gracePeriodSeconds: 0 });
      } catch {
        // already gone (namespace deleted, or someone ran `kubectl delete events`)
      }
    }
  }
}
