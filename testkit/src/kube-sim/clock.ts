/**
 * Simulated time. Every delay in kube-sim (sandbox start latency, Job durations, HPA sync,
 * stabilisation windows) goes through a SimClock so tests can accelerate time by `scale`.
 */
export interface SimClock {
  /** Simulated wall time in ms since the epoch. */
  now(): number;
  /** Runs `fn` after `ms` of simulated time. */
  setTimeout(fn: () => void, ms: number): SimTimer;
  clearTimeout(timer: SimTimer): void;
}

/** The longest delay Node's setTimeout honours (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SimTimer {
  readonly id: number;
}

/**
 * A clock running `scale` times faster than real time from the moment it is created.
 * `scale = 1` is real time; `scale = 60` makes a 15 s HPA sync take 250 ms.
 */
export function acceleratedClock(scale = 1, realNow: () => number = Date.now): SimClock {
  if (!(scale > 0)) throw new Error(`time scale must be > 0, got ${scale}`);
  const origin = realNow();
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  /** Arms the real timer; Node fires delays over 2^31-1 ms at once, so those go in steps. */
  const arm = (id: number, fn: () => void, realMs: number): void => {
    const step = Math.min(realMs, MAX_TIMER_MS);
    const handle = setTimeout(() => {
      if (realMs > MAX_TIMER_MS) return arm(id, fn, realMs - MAX_TIMER_MS);
      timers.delete(id);
      fn();
    }, step);
    handle.unref?.();
    timers.set(id, handle);
  };
  return {
    now: () => origin + (realNow() - origin) * scale,
    setTimeout(fn, ms) {
      const id = next++;
      arm(id, fn, Math.max(0, ms / scale));
      return { id };
    },
    clearTimeout(timer) {
      const handle = timers.get(timer.id);
      if (handle !== undefined) clearTimeout(handle);
      timers.delete(timer.id);
    },
  };
}
