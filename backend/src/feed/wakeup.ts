/**
 * The one waiting primitive of the feeds: a subscriber's generator parks on {@link Wakeup.wait}
 * when it has nothing to send, and the source calls {@link Wakeup.wake} after changing that
 * subscriber's pending state. Wakes while nobody waits are remembered as one flag, never queued:
 * what there is to send lives in the subscriber's (bounded) state, not in a list of wake-ups.
 */
export class Wakeup {
  #resolve: (() => void) | undefined;
  #woken = false;

  wake(): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    if (resolve) resolve();
    else this.#woken = true;
  }

  /** Resolves at the next wake (at once when one came since the last wait) or on abort. */
  wait(signal: AbortSignal): Promise<void> {
    if (this.#woken || signal.aborted) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const onAbort = (): void => this.wake();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#resolve = () => {
        signal.removeEventListener('abort', onAbort);
        this.#woken = false;
        resolve();
      };
    });
  }
}
