/** socketWritable waits while the socket's buffer is over the bound, and never on a closed one. */
import { describe, expect, it } from 'vitest';
import { socketWritable } from './backpressure.ts';

describe('socketWritable', () => {
  it('waits while bufferedAmount is above the limit, then resolves', async () => {
    const socket = { bufferedAmount: 5000, readyState: 1 };
    const slept: number[] = [];
    const writable = socketWritable(socket, {
      limitBytes: 1000,
      pollMs: 10,
      sleep: async (ms) => {
        slept.push(ms);
        socket.bufferedAmount -= 2000; // the peer reads
      },
    });
    await writable();
    expect(slept).toEqual([10, 10]);
    expect(socket.bufferedAmount).toBe(1000);
  });

  it('does not wait on a socket that is closing or closed', async () => {
    const writable = socketWritable(
      { bufferedAmount: 10 ** 9, readyState: 2 },
      { sleep: () => Promise.reject(new Error('must not wait')) },
    );
    await expect(writable()).resolves.toBeUndefined();
  });
});
