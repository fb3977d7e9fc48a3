/**
 * A keyed work queue in the style of client-go's workqueue: adding a key that is already waiting
 * is a no-op (bursts coalesce), a key is never processed twice at once, and failed keys are
 * retried with backoff through the SimClock. Processing runs on the real event loop
 * (setImmediate) in bounded batches so a burst of 50,000 keys never starves I/O.
 *
 * @see https://github.com/kubernetes/client-go/blob/master/util/workqueue/queue.go
 */
import type { SimClock, SimTimer } from '../clock.ts';
import { StoreError } from '../store/types.ts';

/** What a handler returns: nothing, or a request to look at the key again later. */
export type WorkResult = { requeueAfterMs: number } | undefined;

export interface WorkQueueOptions {
  clock: SimClock;
  /** Keys handled per event-loop turn. */
  batch?: number;
  onError?: (key: string, error: unknown) => void;
}

export class WorkQueue {
  private readonly dirty = new Set<string>();
  private readonly retries = new Map<string, number>();
  private readonly delayed = new Map<string, SimTimer>();
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private stopped = false;
  private readonly batch: number;

  constructor(
    private readonly handler: (key: string) => WorkResult,
    private readonly options: WorkQueueOptions,
  ) {
    this.batch = options.batch ?? 500;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    this.kick();
  }

  /** Adds `key` after `ms` of simulated time (a later call replaces an earlier pending one). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const prior = this.delayed.get(key);
    if (prior) this.options.clock.clearTimeout(prior);
    this.delayed.set(
      key,
      this.options.clock.setTimeout(() => {
        this.delayed.delete(key);
        this.add(key);
      }, ms),
    );
  }

  get length(): number {
    return this.dirty.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    for (const t of this.delayed.values()) this.options.clock.clearTimeout(t);
    this.delayed.clear();
    this.dirty.clear();
  }

  private kick(): void {
    if (this.immediate || this.stopped) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.drain();
    });
  }

  private drain(): void {
    let n = 0;
    for (const key of this.dirty) {
      if (this.stopped || n++ >= this.batch) break;
      this.dirty.delete(key);
      this.process(key);
    }
    if (this.dirty.size > 0) this.kick();
  }

  private process(key: string): void {
    try {
      const result = this.handler(key);
      this.retries.delete(key);
      if (result) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const attempt = (this.retries.get(key) ?? 0) + 1;
      this.retries.set(key, attempt);
      // A 409 means our copy was stale: re-read and retry at once, as controllers do.
      // Other errors back off exponentially (5 ms … 10 s simulated) so one bad object cannot spin.
      if (error instanceof StoreError && error.code === 409 && attempt < 5) this.add(key);
      else {
        if (!(error instanceof StoreError && error.code === 409))
          this.options.onError?.(key, error);
        this.addAfter(key, Math.min(10_000, 5 * 2 ** Math.min(attempt, 12)));
      }
    }
  }
}
