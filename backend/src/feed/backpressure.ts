/**
 * Backpressure for a WebSocket transport. tRPC v11's WebSocket adapter pulls a subscription's
 * generator as fast as it yields and calls `ws.send()`, which queues in memory without bound
 * (`bufferedAmount`): a window that stops reading would make the backend hold every message.
 * {@link socketWritable} gives the keyed feed a `writable()` that waits while the socket's
 * buffer is above a bound — the feed's changes then coalesce by uid instead.
 *
 * @see https://github.com/websockets/ws/blob/master/doc/ws.md#websocketbufferedamount
 * @see https://github.com/trpc/trpc/blob/main/packages/server/src/adapters/ws.ts (the send loop)
 */

/** The part of a `ws` WebSocket this needs. */
export interface BufferedSocket {
  readonly bufferedAmount: number;
  /** 1 = OPEN; anything else: stop waiting (the subscription is ending anyway). */
  readonly readyState: number;
}

export interface SocketWritableOptions {
  /** Bytes queued above which the next message waits; default 1 MiB. */
  limitBytes?: number;
  /** How often the buffer is looked at while waiting; default 25 ms. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const OPEN = 1;

export function socketWritable(
  socket: BufferedSocket,
  options: SocketWritableOptions = {},
): () => Promise<void> {
  const limit = options.limitBytes ?? 1024 * 1024;
  const pollMs = options.pollMs ?? 25;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  return async () => {
    while (socket.readyState === OPEN && socket.bufferedAmount > limit) await sleep(pollMs);
  };
}
