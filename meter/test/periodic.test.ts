import { describe, expect, it } from 'vitest';
import type { MeterTimers } from '../src/client.ts';
import { periodic } from '../src/periodic.ts';

/** Timers that run only when told to. */
function manualTimers() {
  const due: { fn: () => void; ms: number }[] = [];
  const timers: MeterTimers = {
    now: () => 0,
    setTimeout: (fn, ms) => {
      const t = { fn, ms };
      due.push(t);
      return t;
    },
    clearTimeout: (h) => {
      const i = due.indexOf(h as (typeof due)[number]);
      if (i >= 0) due.splice(i, 1);
    },
  };
  return { timers, due };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('periodic', () => {
  it('runs at once, then once per interval after each run settled, and not after stop', async () => {
    const { timers, due } = manualTimers();
    let runs = 0;
    let finish: () => void = () => undefined;
    const task = periodic(
      () => {
        runs++;
        return new Promise<void>((r) => (finish = r));
      },
      5000,
      timers,
    );
    task.start();
    task.start(); // a second start changes nothing
    expect(runs).toBe(1);
    await settle();
    expect(due).toHaveLength(0); // the run has not settled: nothing scheduled yet
    finish();
    await settle();
    expect(due.map((d) => d.ms)).toEqual([5000]);
    due.shift()?.fn();
    expect(runs).toBe(2);
    finish();
    await settle();
    task.stop();
    expect(due).toHaveLength(0);
  });

  it('a failed run still schedules the next one', async () => {
    const { timers, due } = manualTimers();
    const task = periodic(() => Promise.reject(new Error('boom')), 1000, timers);
    task.start();
    await settle();
    await settle();
    expect(due.map((d) => d.ms)).toEqual([1000]);
    task.stop();
  });
});
