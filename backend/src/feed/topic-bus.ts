/**
 * The event bus of the backend's unkeyed streams (inventory changes, onboarding checks,
 * bootstrap runs): events published per topic (a cluster id, or one topic for all), and per
 * subscriber first the latest state (`replay`, read the moment it subscribes), then the live
 * events of its topic — nothing lost between the two, nothing repeated, because subscribing,
 * reading the replay and publishing are all synchronous.
 *
 * It shares the keyed feed's waiting primitive ({@link Wakeup}) and its rule that a window that
 * does not read cannot make the backend grow: a subscriber's queue holds at most `maxQueue`
 * events; past that it is dropped and the subscriber gets the latest state again (a resync —
 * the replay *is* the state, so nothing the view needs is lost).
 *
 * @see ./keyed-feed.ts — the same mechanism for keyed rows
 */
import type { SubscribeOptions } from './types.ts';
import { Wakeup } from './wakeup.ts';

interface Subscriber<E> {
  topic: string;
  queue: E[];
  overflowed: boolean;
  wakeup: Wakeup;
}

export interface TopicBusOptions {
  /** Events queued per subscriber before it is resynced from the replay; default 10,000. */
  maxQueue?: number;
}

export class TopicBus<E> {
  readonly #subscribers = new Set<Subscriber<E>>();
  readonly #maxQueue: number;

  constructor(options: TopicBusOptions = {}) {
    this.#maxQueue = Math.max(1, options.maxQueue ?? 10_000);
  }

  publish(topic: string, event: E): void {
    for (const sub of this.#subscribers) {
      if (sub.topic !== topic || sub.overflowed) continue;
      if (sub.queue.length >= this.#maxQueue) {
        sub.overflowed = true;
        sub.queue = [];
      } else sub.queue.push(event);
      sub.wakeup.wake();
    }
  }

  /** Live subscribers (tests and health checks). */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Yields `replay()`, then live events of `topic`, until `signal` aborts or the caller returns.
   * `options.writable` as for the keyed feed (a WebSocket's buffer bound): while it waits, events
   * queue here, up to `maxQueue`, then the subscriber is resynced from the replay.
   */
  async *subscribe(
    topic: string,
    replay: () => Iterable<E>,
    signal: AbortSignal,
    options: SubscribeOptions = {},
  ): AsyncGenerator<E, void, undefined> {
    if (signal.aborted) return;
    const sub: Subscriber<E> = { topic, queue: [], overflowed: false, wakeup: new Wakeup() };
    // Registered before the replay is read: an event published from here on is queued.
    this.#subscribers.add(sub);
    try {
      let batch = [...replay()];
      let at = 0;
      while (!signal.aborted) {
        if (sub.overflowed) {
          sub.overflowed = false;
          batch = [...replay()];
          at = 0;
        }
        if (options.writable) {
          await options.writable();
          if (signal.aborted) break;
          if (sub.overflowed) continue;
        }
        if (at < batch.length) {
          const event = batch[at++] as E;
          yield event;
          continue;
        }
        if (sub.queue.length > 0) {
          batch = sub.queue;
          sub.queue = [];
          at = 0;
          continue;
        }
        await sub.wakeup.wait(signal);
      }
    } finally {
      this.#subscribers.delete(sub);
    }
  }
}
