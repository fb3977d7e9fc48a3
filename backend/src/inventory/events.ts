/**
 * The inventory's change feed. The service publishes one event per committed change; each API
 * subscriber iterates {@link InventoryEvents.subscribe}, which starts buffering *before* the
 * snapshot is taken so no change can slip between the snapshot and the live feed.
 *
 * @see https://nodejs.org/api/events.html#eventsonemitter-eventname-options
 */
import { EventEmitter, on } from 'node:events';
import type { ClusterView, InventoryEvent } from './types.ts';

const CHANGE = 'change';

export class InventoryEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open window/tab; more than 10 is normal, not a leak.
    this.#emitter.setMaxListeners(0);
  }

  publish(event: InventoryEvent): void {
    this.#emitter.emit(CHANGE, event);
  }

  /** Number of live subscribers (used by tests and health checks). */
  get subscriberCount(): number {
    return this.#emitter.listenerCount(CHANGE);
  }

  /**
   * Yields `{type:'snapshot'}` from `snapshot()` first, then every published change, until
   * `signal` aborts (client gone or backend closing).
   */
  async *subscribe(
    snapshot: () => ClusterView[],
    signal: AbortSignal,
  ): AsyncGenerator<InventoryEvent, void, undefined> {
    if (signal.aborted) return;
    // Listening starts here, before the snapshot is read: nothing is lost in between.
    const changes = on(this.#emitter, CHANGE, { signal });
    try {
      yield { type: 'snapshot', clusters: snapshot() };
      for await (const [event] of changes) yield event as InventoryEvent;
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      await changes.return?.();
    }
  }
}
