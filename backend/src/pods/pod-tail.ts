/**
 * The log of one container of one pod, kept flowing as the pod changes: it says `waiting` while
 * the container has not started and starts reading by itself once it runs; with `follow` it
 * reads the next instance after a restart (without the tail: every line of the new instance is
 * new). A follow stream the server ends while the same instance still runs (the kubelet's idle
 * timeout, an API server restart or failover) is reopened from where it stood, with backoff,
 * without repeating or losing lines ({@link LogResume}: the API is always asked for timestamps,
 * which are dropped again unless the window asked for them). Lines go to the shared
 * {@link LogQueue}; while the queue is over its bound the HTTP body is paused, so the API server
 * is read no faster than the window reads.
 *
 * Log contents go to the queue only — never to the app's logger.
 */
import type { KubeClient } from '@nodeless/cluster-runtime';
import {
  containerRunning,
  defaultContainer,
  logReadiness,
  podFinished,
  waitingReasonOf,
  type Pod,
} from './containers.ts';
import { LineSplitter, splitTimestamp } from './lines.ts';
import type { LogQueue } from './log-queue.ts';
import { LogRequestError, openLog, type LogRequest } from './log-request.ts';
import { LogResume } from './log-resume.ts';
import type { LogsInput } from './logs-types.ts';

type State = 'idle' | 'waiting' | 'streaming' | 'done';

export interface PodTailOptions {
  client: Pick<KubeClient, 'config'>;
  input: LogsInput;
  queue: LogQueue;
  /** Aborts every request of this tail (subscriber gone, pod gone). */
  signal: AbortSignal;
  /** This tail will read no more (stream ended for good, or a refusal); `reason` in words. */
  onDone: (reason: string) => void;
  /** Opens a log stream; injected for units. */
  open?: typeof openLog;
  /** Waits before reopening a stream the server ended; injected for units. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Reopening a stream the server ended: 1 s, doubling up to 30 s, back to 1 s once lines flow. */
const REOPEN_FIRST_MS = 1_000;
const REOPEN_MAX_MS = 30_000;

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class PodTail {
  readonly name: string;
  readonly #o: PodTailOptions;
  #state: State = 'idle';
  #pod: Pod;
  #waitingFor: string | undefined;
  #streamedRestarts = -1;
  #first = true;
  #resume = new LogResume();
  #reopenMs = REOPEN_FIRST_MS;
  #reopening = false;

  constructor(pod: Pod, options: PodTailOptions) {
    this.name = pod.metadata?.name ?? '';
    this.#pod = pod;
    this.#o = options;
  }

  get state(): State {
    return this.#state;
  }

  /** The pod as last seen: starts, restarts or ends the tail as the container's state says. */
  update(pod: Pod): void {
    this.#pod = pod;
    const { input } = this.#o;
    if (this.#state === 'streaming' || this.#o.signal.aborted) return;
    const container = input.container ?? defaultContainer(pod);
    if (container === undefined) return this.#fail(`pod "${this.name}" has no containers`);
    const r = logReadiness(pod, container);
    if (this.#state === 'done') {
      // Following: the next instance of a restarted container.
      if (input.follow === false || input.previous || !r.ready) return;
      if (r.restarts > this.#streamedRestarts && !podFinished(pod)) {
        // A new instance: a new log, nothing of it shown yet.
        this.#resume = new LogResume();
        void this.#start(container);
      } else if (r.restarts === this.#streamedRestarts && containerRunning(pod, container)) {
        // The server ended the stream but this instance still runs: reopen where it stood.
        this.#scheduleReopen(container);
      }
      return;
    }
    if (!r.ready && !input.previous) {
      if (this.#waitingFor !== r.reason) this.#wait(container, r.reason);
      return;
    }
    void this.#start(container);
  }

  #wait(container: string, reason: string): void {
    this.#state = 'waiting';
    this.#waitingFor = reason;
    this.#o.queue.send({ type: 'waiting', pod: this.name, container, reason });
  }

  #fail(message: string): void {
    this.#state = 'done';
    this.#o.queue.send({ type: 'error', message });
    this.#o.onDone(message);
  }

  #scheduleReopen(container: string): void {
    if (this.#reopening) return;
    this.#reopening = true;
    const { signal } = this.#o;
    const delay = this.#reopenMs;
    this.#reopenMs = Math.min(this.#reopenMs * 2, REOPEN_MAX_MS);
    void (this.#o.sleep ?? abortableSleep)(delay, signal).then(() => {
      this.#reopening = false;
      if (signal.aborted || this.#state !== 'done') return;
      const r = logReadiness(this.#pod, container);
      if (!r.ready || r.restarts !== this.#streamedRestarts) return this.update(this.#pod);
      if (!containerRunning(this.#pod, container)) return;
      void this.#start(container, true);
    });
  }

  async #start(container: string, reopen = false): Promise<void> {
    const { input, signal } = this.#o;
    this.#state = 'streaming';
    const restarts = logReadiness(this.#pod, container);
    this.#streamedRestarts = restarts.ready ? restarts.restarts : 0;
    const sinceTime = reopen ? this.#resume.sinceTime() : undefined;
    if (sinceTime !== undefined) this.#resume.reopen();
    // Reopened with nothing shown yet: ask as the first time.
    const first = this.#first || (reopen && sinceTime === undefined);
    this.#first = false;
    const request: LogRequest = {
      namespace: input.namespace,
      pod: this.name,
      container,
      follow: input.follow ?? true,
      ...(input.previous ? { previous: true } : {}),
      // Always: where a stream stood is known only by its lines' timestamps.
      timestamps: true,
      ...(sinceTime !== undefined ? { sinceTime } : {}),
      ...(first && input.tailLines !== undefined ? { tailLines: input.tailLines } : {}),
      ...(first && input.sinceSeconds !== undefined ? { sinceSeconds: input.sinceSeconds } : {}),
      ...(input.limitBytes !== undefined ? { limitBytes: input.limitBytes } : {}),
    };
    try {
      const body = await (this.#o.open ?? openLog)(this.#o.client, request, signal);
      await this.#read(body, container);
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      const waiting = error instanceof LogRequestError ? waitingReasonOf(message) : undefined;
      if (waiting !== undefined) {
        // Started reading between the status we saw and the kubelet's: wait for the next change.
        this.#first = first;
        this.#state = 'idle';
        if (this.#waitingFor !== waiting) this.#wait(container, waiting);
        else this.#state = 'waiting';
        return;
      }
      return this.#fail(message);
    }
    if (signal.aborted) return;
    this.#state = 'done';
    if (input.follow === false || input.previous) return this.#o.onDone('not following');
    if (podFinished(this.#pod)) return this.#o.onDone('container exited');
    // Otherwise the container may run again; `update` starts the next instance. A restart
    // seen while this stream was still draining is picked up now.
    this.update(this.#pod);
  }

  /** Lines of `body` into the queue until it ends; paused while the queue is full. */
  #read(body: AsyncIterable<Buffer> & NodeJS.ReadableStream, container: string): Promise<void> {
    const { queue, input } = this.#o;
    const splitter = new LineSplitter();
    const pod = this.name;
    const resume = this.#resume;
    const push = (lines: string[]): void => {
      for (const line of lines) {
        const { time, text } = splitTimestamp(line);
        if (!resume.accept(time, text)) continue;
        this.#reopenMs = REOPEN_FIRST_MS;
        queue.push({ pod, container, text, ...(input.timestamps && time ? { time } : {}) });
      }
    };
    return new Promise<void>((resolve, reject) => {
      const offPressure = queue.onPressure((paused) => (paused ? body.pause() : body.resume()));
      body.on('data', (chunk: Buffer) => push(splitter.push(chunk)));
      body.once('end', () => {
        offPressure();
        push(splitter.end());
        resolve();
      });
      body.once('error', (error) => {
        offPressure();
        reject(error);
      });
      // Closed without an end (connection cut): what arrived stands, the stream is over.
      body.once('close', () => {
        offPressure();
        push(splitter.end());
        resolve();
      });
      if (queue.paused) body.pause();
    });
  }
}
