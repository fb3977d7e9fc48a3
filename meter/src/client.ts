/**
 * The part of cluster-runtime's one Kubernetes client the meter uses, as a type: the modules take
 * this (not the whole client), so units inject an in-memory fake of six calls.
 *
 * @see ../../cluster-runtime/src/client.ts
 */
import type { KubeClient } from '@nodeless/cluster-runtime';

export type MeterClient = Pick<
  KubeClient,
  'get' | 'list' | 'create' | 'replace' | 'delete' | 'mergePatch'
>;

/** Clock and timers, injected so units run on fake time. */
export interface MeterTimers {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: MeterTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** One line of the meter's log (JSON, so `kubectl logs` stays greppable); never secrets. */
export type MeterLog = (event: string, fields?: Record<string, unknown>) => void;

export const jsonLog =
  (write: (line: string) => void): MeterLog =>
  (event, fields = {}) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
