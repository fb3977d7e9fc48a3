/**
 * The onboarding feed on the shared {@link TopicBus}, one topic per cluster. A subscriber
 * first gets the latest finished report of its cluster (so a reload or a second window shows
 * it), then the start and progress so far of a check that is running, then live events — the
 * bus reads that replay the moment it subscribes, so nothing is lost or repeated.
 *
 * @see ../feed/topic-bus.ts
 */
import { TopicBus } from '../feed/topic-bus.ts';
import type { SubscribeOptions } from '../feed/types.ts';
import type { ClusterCheckView, OnboardingEvent } from './types.ts';

export class OnboardingEvents {
  readonly #bus = new TopicBus<OnboardingEvent>();
  /** Events of the check running per cluster (started + progress), for late subscribers. */
  readonly #running = new Map<string, OnboardingEvent[]>();

  publish(clusterId: string, event: OnboardingEvent): void {
    if (event.type === 'check.started') this.#running.set(clusterId, [event]);
    else if (event.type === 'check.finished') this.#running.delete(clusterId);
    else this.#running.get(clusterId)?.push(event);
    this.#bus.publish(clusterId, event);
  }

  get subscriberCount(): number {
    return this.#bus.subscriberCount;
  }

  /** Yields the replay (latest report, running check), then live events of `clusterId`. */
  subscribe(
    clusterId: string,
    latest: () => ClusterCheckView | null,
    signal: AbortSignal,
    options?: SubscribeOptions,
  ): AsyncGenerator<OnboardingEvent, void, undefined> {
    return this.#bus.subscribe(
      clusterId,
      () => {
        const report = latest();
        const finished: OnboardingEvent[] = report
          ? [{ type: 'check.finished', checkId: report.checkId, report }]
          : [];
        return [...finished, ...(this.#running.get(clusterId) ?? [])];
      },
      signal,
      options,
    );
  }
}
