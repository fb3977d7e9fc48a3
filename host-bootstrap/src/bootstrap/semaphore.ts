/**
 * A counting semaphore: at most `limit` holders at once, FIFO. The bundle upload shares one
 * per run so that "at most N uploads at once" holds across every host (issue 6, point 2).
 *
 * @see https://en.wikipedia.org/wiki/Semaphore_(programming)
 */
export class Semaphore {
  readonly #waiters: Array<() => void> = [];
  #held = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be an integer ≥ 1');
  }

  /** Runs `fn` while holding one permit. */
  async use<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  /** Permits currently held (for tests and progress). */
  get held(): number {
    return this.#held;
  }

  #acquire(): Promise<void> {
    if (this.#held < this.limit) {
      this.#held++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    const next = this.#waiters.shift();
    // Hand the permit straight to the next waiter: `held` stays the same.
    if (next) next();
    else this.#held--;
  }
}
