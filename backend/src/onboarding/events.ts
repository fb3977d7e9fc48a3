/**
 * The onboarding feed: one event bus for all clusters, filtered per subscriber. A subscriber
 * first gets the latest finished report of its cluster (so a reload or a second window shows
 * it), then the start and progress so far of a check that is running, then live events.
 * Listening starts before that replay is read, and replayed events are not repeated live.
 *
 * @see ../inventory/events.ts — the same pattern for the inventory
 * @see https://nodejs.org/api/events.html#eventsonemitter-eventname-options
 */
import { EventEmitter, on } from 'node:events';
import type { ClusterCheckView, OnboardingEvent } from './types.ts';

const EVENT = 'onboarding';

interface Envelope {
  clusterId: string;
  /** Sequence number: replay and live feed are joined on it without duplicates. */
  seq: number;
  event: OnboardingEvent;
}

export class OnboardingEvents {
  readonly #emitter = new EventEmitter();
  /** Events of the check running per cluster (started + progress), for late subscribers. */
  readonly #running = new Map<string, Envelope[]>();
  #seq = 0;

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  publish(clusterId: string, event: OnboardingEvent): void {
    const envelope: Envelope = { clusterId, seq: ++this.#seq, event };
    if (event.type === 'check.started') this.#running.set(clusterId, [envelope]);
    else if (event.type === 'check.finished') this.#running.delete(clusterId);
    else this.#running.get(clusterId)?.push(envelope);
    this.#emitter.emit(EVENT, envelope);
  }

  get subscriberCount(): number {
    return this.#emitter.listenerCount(EVENT);
  }

  /** Yields the replay (latest report, running check), then live events of `clusterId`. */
  async *subscribe(
    clusterId: string,
    latest: () => ClusterCheckView | null,
    signal: AbortSignal,
  ): AsyncGenerator<OnboardingEvent, void, undefined> {
    if (signal.aborted) return;
    const live = on(this.#emitter, EVENT, { signal });
    try {
      let seen = this.#seq;
      const report = latest();
      const running = [...(this.#running.get(clusterId) ?? [])];
      if (report) yield { type: 'check.finished', checkId: report.checkId, report };
      for (const envelope of running) yield envelope.event;
      for await (const [item] of live) {
        const envelope = item as Envelope;
        if (envelope.clusterId !== clusterId || envelope.seq <= seen) continue;
        seen = envelope.seq;
        yield envelope.event;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      await live.return?.();
    }
  }
}
