import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.ts';

describe('Semaphore', () => {
  it('never lets more than `limit` holders in, and serves waiters in order', async () => {
    const s = new Semaphore(2);
    let inside = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        s.use(async () => {
          inside++;
          peak = Math.max(peak, inside);
          order.push(i);
          await new Promise((r) => setTimeout(r, 3));
          inside--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.held).toBe(0);
  });

  it('releases the permit when the holder throws', async () => {
    const s = new Semaphore(1);
    await expect(s.use(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await s.use(() => Promise.resolve(7))).toBe(7);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
