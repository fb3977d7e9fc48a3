/**
 * `inventory.*`: read side. `events` is an SSE subscription (tRPC v11 async generator): first
 * a snapshot, then every change made by any client, so all windows stay in sync.
 *
 * @see https://trpc.io/docs/server/subscriptions
 */
import { procedure, router } from '../trpc.ts';

export const inventoryRouter = router({
  list: procedure.query(({ ctx }) => ctx.inventory.list()),
  events: procedure.subscription(({ ctx, signal }) => {
    const stop = signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown;
    return ctx.inventory.subscribe(stop, ctx.transport);
  }),
});
