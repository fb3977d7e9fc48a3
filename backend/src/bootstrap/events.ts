/**
 * The bootstrap feed on the shared {@link TopicBus}, one topic per cluster. A subscriber first
 * gets the latest run of its cluster as a whole {@link RunView} (every step's last state, so a
 * reload or a second window draws the grid at once), then live events — the bus reads that view
 * the moment it subscribes, so events already in it are not repeated.
 *
 * @see ../feed/topic-bus.ts
 */
import { TopicBus } from '../feed/topic-bus.ts';
import type { SubscribeOptions } from '../feed/types.ts';
import type { BootstrapStreamEvent, RunView } from './types.ts';

export class BootstrapEvents {
  readonly #bus = new TopicBus<BootstrapStreamEvent>();

  publish(clusterId: string, event: BootstrapStreamEvent): void {
    this.#bus.publish(clusterId, event);
  }

  get subscriberCount(): number {
    return this.#bus.subscriberCount;
  }

  /** Yields the latest run (if any), then live events of `clusterId`. */
  subscribe(
    clusterId: string,
    latest: () => RunView | null,
    signal: AbortSignal,
    options?: SubscribeOptions,
  ): AsyncGenerator<BootstrapStreamEvent, void, undefined> {
    return this.#bus.subscribe(
      clusterId,
      (): BootstrapStreamEvent[] => {
        const run = latest();
        if (!run) return [];
        return [
          run.state === 'running' ? { type: 'run.started', run } : { type: 'run.finished', run },
        ];
      },
      signal,
      options,
    );
  }
}
