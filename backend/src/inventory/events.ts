/**
 * The inventory's change feed: one topic on the shared {@link TopicBus}. The service publishes
 * one event per committed change; each API subscriber first gets `{type:'snapshot'}` (read when
 * it subscribes, so no change slips between snapshot and live feed), then every change.
 *
 * @see ../feed/topic-bus.ts
 */
import { TopicBus } from '../feed/topic-bus.ts';
import type { SubscribeOptions } from '../feed/types.ts';
import type { ClusterView, InventoryEvent } from './types.ts';

/** The inventory is one stream for all windows. */
const TOPIC = 'inventory';

export class InventoryEvents {
  readonly #bus = new TopicBus<InventoryEvent>();

  publish(event: InventoryEvent): void {
    this.#bus.publish(TOPIC, event);
  }

  /** Number of live subscribers (used by tests and health checks). */
  get subscriberCount(): number {
    return this.#bus.subscriberCount;
  }

  /** Yields the snapshot from `snapshot()` first, then every published change, until `signal` aborts. */
  subscribe(
    snapshot: () => ClusterView[],
    signal: AbortSignal,
    options?: SubscribeOptions,
  ): AsyncGenerator<InventoryEvent, void, undefined> {
    const replay = () => [{ type: 'snapshot', clusters: snapshot() } as const];
    return this.#bus.subscribe(TOPIC, replay, signal, options);
  }
}
