/**
 * The workspace's cluster list as a stream, on the shared {@link TopicBus} (one topic for all
 * windows): each subscriber first gets the list as it is, then the list again whenever it
 * changed. Whoever changes what the list is read from calls {@link WorkspaceClusterEvents.changed};
 * a call that changed nothing the list shows publishes nothing, so callers may call it liberally
 * (every inventory change, every finished bootstrap run).
 *
 * @see ../feed/topic-bus.ts
 * @see ./contract.ts WorkspaceClustersEvent
 */
import { TopicBus } from '../feed/topic-bus.ts';
import type { SubscribeOptions } from '../feed/types.ts';
import type { WorkspaceCluster, WorkspaceClustersEvent } from './contract.ts';

const TOPIC = 'workspace.clusters';

export class WorkspaceClusterEvents {
  readonly #bus = new TopicBus<WorkspaceClustersEvent>();
  readonly #list: () => WorkspaceCluster[];
  /**
   * The last list published, to publish only real changes. Not what a subscriber's replay read:
   * a change made before a subscriber read it but published after must still reach the others.
   */
  #last: string | undefined;

  constructor(list: () => WorkspaceCluster[]) {
    this.#list = list;
  }

  /** Publishes the list if it differs from the last one sent. */
  changed(): void {
    if (this.#bus.subscriberCount === 0) {
      this.#last = undefined; // the next subscriber reads the list anyway
      return;
    }
    const clusters = this.#list();
    const text = JSON.stringify(clusters);
    if (text === this.#last) return;
    this.#last = text;
    this.#bus.publish(TOPIC, { type: 'clusters', clusters });
  }

  get subscriberCount(): number {
    return this.#bus.subscriberCount;
  }

  /** The list now, then each changed list, until `signal` aborts. */
  subscribe(
    signal: AbortSignal,
    options?: SubscribeOptions,
  ): AsyncGenerator<WorkspaceClustersEvent, void, undefined> {
    const replay = (): WorkspaceClustersEvent[] => [{ type: 'clusters', clusters: this.#list() }];
    return this.#bus.subscribe(TOPIC, replay, signal, options);
  }
}
