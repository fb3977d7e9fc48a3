import { afterEach, describe, expect, it, vi } from 'vitest';
import { acceleratedClock } from './clock.ts';

describe('acceleratedClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs timers after their simulated delay, scaled', () => {
    vi.useFakeTimers();
    const clock = acceleratedClock(10);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(1), 1000);
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([1]);
  });

  it('waits out delays beyond what setTimeout can hold (a yearly CronJob) instead of firing at once', () => {
    vi.useFakeTimers();
    const clock = acceleratedClock(1);
    let fired = 0;
    const month = 30 * 24 * 3600 * 1000; // over 2^31-1 ms
    clock.setTimeout(() => fired++, month);
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(month - (2 ** 31 - 1));
    expect(fired).toBe(1);
  });
});
