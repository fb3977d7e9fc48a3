/**
 * One log stream's state for the viewer. Messages from `pods.logs` are queued as they come and
 * folded once per animation frame (one store update per frame, however many batches arrived,
 * as cluster-event-store.ts does for events): lines into the bounded {@link LogBuffer}, the
 * search index extended by the new lines only, the waiting/ended/error notices and, in workload
 * mode, the pods followed.
 *
 * @see ../store/cluster-event-store.ts
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Scheduler } from '../store/inventory-store.ts';
import { LogBuffer, LOG_BUFFER_BOUND } from './log-buffer.ts';
import { POD_COLOURS } from './log-options.ts';
import type { LogsMessage } from '@nodeless/backend/api';
import { SearchIndex, type CompiledSearch } from './log-search.ts';

export interface WaitingNotice {
  pod: string;
  container: string;
  reason: string;
}

export interface FollowedPod {
  pod: string;
  gone: boolean;
}

/** What the view reads; a new object per frame in which anything changed. */
export interface LogViewState {
  /** Bumped when lines were appended or dropped (the view re-reads the buffer). */
  version: number;
  /** Lines kept, and the sequence number of the oldest kept (see log-buffer.ts). */
  length: number;
  start: number;
  /** Containers that have not started yet, by pod (cleared when their lines come). */
  waiting: readonly WaitingNotice[];
  /** Workload mode: the pods whose logs are merged here, in the order they came. */
  pods: readonly FollowedPod[];
  /** The stream ended (said by the backend), or failed (in words). */
  ended?: string;
  error?: string;
  /** Lines matching the search now (0 without a search). */
  matches: number;
}

const EMPTY: LogViewState = { version: 0, length: 0, start: 0, waiting: [], pods: [], matches: 0 };

/** `requestAnimationFrame` where there is one (the page), else the next tick. */
export const animationFrame: Scheduler = (flush) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};

export class LogStore {
  readonly store: StoreApi<LogViewState> = createStore<LogViewState>(() => EMPTY);
  readonly buffer: LogBuffer;
  private queue: LogsMessage[] = [];
  private scheduled = false;
  private search: SearchIndex | undefined;
  private readonly colours = new Map<string, number>();

  constructor(
    bound: number = LOG_BUFFER_BOUND,
    private readonly schedule: Scheduler = animationFrame,
  ) {
    this.buffer = new LogBuffer(bound);
  }

  /** Queues a message; it is applied on the next frame. */
  push(message: LogsMessage): void {
    this.queue.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.flush);
    }
  }

  /** The transport failed for good (not a message of the stream). */
  fail(message: string): void {
    this.push({ type: 'error', message });
  }

  /** Applies the queued messages now (what the scheduler calls). */
  readonly flush = (): void => {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const before = this.store.getState();
    let { waiting, pods, ended, error } = before;
    const endBefore = this.buffer.end;
    for (const m of batch) {
      switch (m.type) {
        case 'lines': {
          this.buffer.append(m.lines);
          if (waiting.length > 0) {
            const started = new Set(m.lines.map((l) => `${l.pod}\n${l.container}`));
            const left = waiting.filter((w) => !started.has(`${w.pod}\n${w.container}`));
            if (left.length !== waiting.length) waiting = left;
          }
          break;
        }
        case 'waiting':
          waiting = [
            ...waiting.filter((w) => !(w.pod === m.pod && w.container === m.container)),
            { pod: m.pod, container: m.container, reason: m.reason },
          ];
          break;
        case 'pod-added':
          this.colourOf(m.pod);
          pods = [...pods.filter((p) => p.pod !== m.pod), { pod: m.pod, gone: false }];
          break;
        case 'pod-gone':
          pods = pods.map((p) => (p.pod === m.pod ? { pod: p.pod, gone: true } : p));
          waiting = waiting.filter((w) => w.pod !== m.pod);
          break;
        case 'ended':
          ended = m.reason;
          waiting = [];
          break;
        case 'error':
          error = m.message;
          break;
      }
    }
    const linesChanged = this.buffer.end !== endBefore;
    const matchesChanged = linesChanged && this.search ? this.search.update() : false;
    if (
      !linesChanged &&
      !matchesChanged &&
      waiting === before.waiting &&
      pods === before.pods &&
      ended === before.ended &&
      error === before.error
    )
      return;
    this.store.setState({
      version: linesChanged ? before.version + 1 : before.version,
      length: this.buffer.length,
      start: this.buffer.start,
      waiting,
      pods,
      ended,
      error,
      matches: this.search?.count ?? 0,
    });
  };

  /**
   * A pod's colour slot (logs.css `.pod-c0`…): given in the order pods appear, so the first
   * eight pods of a workload never share a colour; fixed once given.
   */
  readonly colourOf = (pod: string): number => {
    let c = this.colours.get(pod);
    if (c === undefined) {
      c = this.colours.size % POD_COLOURS;
      this.colours.set(pod, c);
    }
    return c;
  };

  /** Sets (or clears) the search; matches are computed now, then per frame for new lines. */
  setSearch(compiled: CompiledSearch): void {
    this.search = compiled.kind === 'ok' ? new SearchIndex(compiled.regex, this.buffer) : undefined;
    this.search?.update();
    this.store.setState({ matches: this.search?.count ?? 0 });
  }

  /** The current search's matches (undefined without a valid search). */
  get searchIndex(): SearchIndex | undefined {
    return this.search;
  }
}
