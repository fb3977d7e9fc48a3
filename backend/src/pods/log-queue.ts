/**
 * Between the API server's log bodies and the window: lines are batched into one `lines`
 * message about every 100 ms (as Rancher's log view flushes), other messages keep their place
 * in the order, and the queue is bounded without losing lines: above `highWater` pending lines
 * it asks its sources to pause (they pause their HTTP bodies, so TCP pushes back on the API
 * server and the kubelet) and lets them resume below `lowWater`. The consumer awaits the
 * transport's `writable()` before each message, so a window that reads slowly slows the
 * upstream reads instead of filling the backend's memory or the socket's send buffer.
 *
 * @see ../feed/types.ts SubscribeOptions (the transport's backpressure)
 */
import type { LogLine, LogsMessage } from './logs-types.ts';

export interface LogQueueOptions {
  /** How long a batch collects lines before it is sent; default 100 ms. */
  flushMs?: number;
  /** Lines per `lines` message at most; default 1,000. */
  maxBatch?: number;
  /** Pending lines above which sources pause; default 10,000. */
  highWater?: number;
  /** Pending lines below which paused sources resume; default 2,000. */
  lowWater?: number;
  now?: () => number;
  /** Resolves after `ms` or when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Batch {
  message: { type: 'lines'; lines: LogLine[] };
  since: number;
}

type Entry = Batch | { message: LogsMessage };

const isBatch = (e: Entry): e is Batch => 'since' in e;

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export class LogQueue {
  readonly #o: Required<LogQueueOptions>;
  readonly #entries: Entry[] = [];
  readonly #pressure = new Set<(paused: boolean) => void>();
  #pendingLines = 0;
  #paused = false;
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(options: LogQueueOptions = {}) {
    this.#o = {
      flushMs: 100,
      maxBatch: 1000,
      highWater: 10_000,
      lowWater: 2_000,
      now: () => performance.now(),
      sleep: defaultSleep,
      ...options,
    };
  }

  get pendingLines(): number {
    return this.#pendingLines;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** `listener(true)` when sources should pause, `(false)` when they may read again. */
  onPressure(listener: (paused: boolean) => void): () => void {
    this.#pressure.add(listener);
    return () => this.#pressure.delete(listener);
  }

  push(line: LogLine): void {
    if (this.#closed) return;
    const last = this.#entries.at(-1);
    if (last && isBatch(last) && last.message.lines.length < this.#o.maxBatch)
      last.message.lines.push(line);
    else this.#entries.push({ message: { type: 'lines', lines: [line] }, since: this.#o.now() });
    this.#pendingLines++;
    if (!this.#paused && this.#pendingLines >= this.#o.highWater) this.#setPaused(true);
    this.#notify();
  }

  /** Any other message, after the lines pushed before it. */
  send(message: Exclude<LogsMessage, { type: 'lines' }>): void {
    if (this.#closed) return;
    this.#entries.push({ message });
    this.#notify();
  }

  /** No more input: what is queued is still delivered, then the messages end. */
  close(): void {
    this.#closed = true;
    this.#notify();
  }

  /** The queued messages, batched, until closed and drained or `signal` aborts. */
  async *messages(
    signal: AbortSignal,
    writable?: () => Promise<void>,
  ): AsyncGenerator<LogsMessage, void, undefined> {
    while (!signal.aborted) {
      const head = this.#entries[0];
      if (!head) {
        if (this.#closed) return;
        await this.#wait(signal);
        continue;
      }
      // A lone, unfilled batch waits out its window so more lines join it.
      if (isBatch(head) && this.#entries.length === 1 && !this.#closed) {
        const left = head.since + this.#o.flushMs - this.#o.now();
        if (left > 0 && head.message.lines.length < this.#o.maxBatch) {
          await this.#o.sleep(left, signal);
          continue;
        }
      }
      if (writable) await writable();
      if (signal.aborted) return;
      this.#entries.shift();
      if (isBatch(head)) {
        this.#pendingLines -= head.message.lines.length;
        if (this.#paused && this.#pendingLines <= this.#o.lowWater) this.#setPaused(false);
      }
      yield head.message;
    }
  }

  #setPaused(paused: boolean): void {
    this.#paused = paused;
    for (const listener of this.#pressure) listener(paused);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
