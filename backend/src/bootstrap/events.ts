/**
 * The bootstrap feed: one event bus for all clusters, filtered per subscriber. A subscriber
 * first gets the latest run of its cluster as a whole {@link RunView} (every step's last
 * state, so a reload or a second window draws the grid at once), then live events. Listening
 * starts before that view is read, and events already in it are not repeated.
 *
 * @see ../onboarding/events.ts — the same pattern for checks
 * @see https://nodejs.org/api/events.html#eventsonemitter-eventname-options
 */
import { EventEmitter, on } from 'node:events';
import type { BootstrapStreamEvent, RunView } from './types.ts';

const EVENT = 'bootstrap';

interface Envelope {
  clusterId: string;
  seq: number;
  event: BootstrapStreamEvent;
}

export class BootstrapEvents {
  readonly #emitter = new EventEmitter();
  #seq = 0;

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  publish(clusterId: string, event: BootstrapStreamEvent): void {
    this.#emitter.emit(EVENT, { clusterId, seq: ++this.#seq, event } satisfies Envelope);
  }

  get subscriberCount(): number {
    return this.#emitter.listenerCount(EVENT);
  }

  /** Yields the latest run (if any), then live events of `clusterId`. */
  async *subscribe(
    clusterId: string,
    latest: () => RunView | null,
    signal: AbortSignal,
  ): AsyncGenerator<BootstrapStreamEvent, void, undefined> {
    if (signal.aborted) return;
    const live = on(this.#emitter, EVENT, { signal });
    try {
      let seen = this.#seq;
      const run = latest();
      if (run) {
        yield run.state === 'running'
          ? { type: 'run.started', run }
          : { type: 'run.finished', run };
      }
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
