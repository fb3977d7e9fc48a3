/**
 * A fake `pods.logs` for the dev entry, the log bench page and units: lines generated at a set
 * rate, sent in batches as the backend sends them (one `lines` message per `batchMs`), a pod
 * waiting to start first when asked, `ended` after `total` lines. Timers are injected so a test
 * can drive it by hand.
 */
import type { LogLine, LogsMessage, PodLogsInput } from '@nodeless/backend/api';
import type { PodsLogsApi } from '../api/pods-logs-api.ts';

export interface FakeLogsOptions {
  /** Lines per second. */
  rate: number;
  /** Lines in all, then `ended` (Infinity: never ends). */
  total: number;
  /** One `lines` message per this many ms (the backend flushes about every 100 ms). */
  batchMs?: number;
  /** Pods of a workload stream (lines round-robin over them); default one. */
  pods?: number;
  /** ms during which the container says it is waiting to start (ContainerCreating). */
  waitingMs?: number;
  now?: () => number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (id: unknown) => void;
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

const WORDS = ['GET', 'POST', '/api/orders', '/healthz', 'user=42', 'took', 'cache', 'miss', 'ok'];

/** A plausible line of a web service; every 50th is an error, for searching. */
export function fakeLineText(n: number): string {
  const level = n % 50 === 49 ? 'ERROR' : n % 7 === 0 ? 'WARN' : 'INFO';
  const a = WORDS[n % WORDS.length] ?? '';
  const b = WORDS[(n * 7) % WORDS.length] ?? '';
  return `${level} [worker-${n % 8}] request ${n}: ${a} ${b} status=${level === 'ERROR' ? 500 : 200} bytes=${(n * 7919) % 65536} latency_ms=${n % 997}`;
}

export function createFakeLogs(o: FakeLogsOptions): PodsLogsApi & { sent(): number } {
  const batchMs = o.batchMs ?? 100;
  const now = o.now ?? (() => Date.now());
  const every = o.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const stop = o.clearInterval ?? ((id) => clearInterval(id as ReturnType<typeof setInterval>));
  const later = o.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  let sentTotal = 0;
  return {
    sent: () => sentTotal,
    logs(input: PodLogsInput, handlers) {
      const name = input.pod ?? input.workload?.name ?? 'pod';
      const pods = Array.from({ length: Math.max(1, o.pods ?? 1) }, (_, i) =>
        input.workload ? `${name}-7d9c5b-${'abcdefgh'[i % 8]}${i}` : name,
      );
      const container = input.container ?? 'app';
      const emit = (m: LogsMessage): void => handlers.onData(m);
      let timer: unknown;
      let closed = false;
      let sent = 0;
      const start = (): void => {
        if (closed) return;
        const t0 = now();
        timer = every(() => {
          // As many lines as the rate owes by now: steady on average, whatever the timer's jitter.
          const due = Math.min(o.total, Math.floor(((now() - t0) * o.rate) / 1000));
          if (due > sent) {
            const lines: LogLine[] = [];
            for (; sent < due; sent++) {
              lines.push({
                pod: pods[sent % pods.length] ?? name,
                container,
                time: new Date(t0 + (sent * 1000) / o.rate).toISOString(),
                text: `${input.previous ? '(previous) ' : ''}${fakeLineText(sent)}`,
              });
            }
            sentTotal += lines.length;
            emit({ type: 'lines', lines });
          }
          if (sent >= o.total) {
            stop(timer);
            emit({ type: 'ended', reason: 'the container exited' });
          }
        }, batchMs);
      };
      later(() => {
        if (input.workload) for (const pod of pods) emit({ type: 'pod-added', pod });
        if (o.waitingMs) {
          for (const pod of pods)
            emit({ type: 'waiting', pod, container, reason: 'ContainerCreating' });
          later(start, o.waitingMs);
        } else start();
      }, 0);
      return () => {
        closed = true;
        if (timer !== undefined) stop(timer);
      };
    },
  };
}
