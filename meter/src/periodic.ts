/**
 * A task run now and then every `intervalMs` after the previous run settled (never two at once,
 * never a burst after a slow run), until stopped: the meter's usage sampling (samples.ts) and its
 * capacity sampling (capacity.ts). The task reports its own failures (they log and go on).
 */
import type { MeterTimers } from './client.ts';

export interface Periodic {
  start(): void;
  stop(): void;
}

export function periodic(
  run: () => Promise<unknown>,
  intervalMs: number,
  timers: MeterTimers,
): Periodic {
  let timer: unknown;
  let running = false;
  const loop = () => {
    if (!running) return;
    const next = () => {
      if (running) timer = timers.setTimeout(loop, intervalMs);
    };
    // The task logs its own failures; one that rejects still gets its next run.
    run().then(next, next);
  };
  return {
    start() {
      if (running) return;
      running = true;
      loop();
    },
    stop() {
      running = false;
      timers.clearTimeout(timer);
    },
  };
}
