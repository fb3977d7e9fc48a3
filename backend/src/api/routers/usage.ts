/**
 * `usage.*`: metering's status, the ledger's sync on demand, the bill (table with drill-down,
 * cost over time, idle capacity, one pod's bill line), CSV of any table, and the prices
 * (entered or derived from machine cost). Types: ../../usage/contract.ts.
 *
 * @see ../../usage/service.ts
 */
import { LedgerFormatError } from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import {
  priceSettingsInput,
  usageClusterInput,
  usageIdleInput,
  usagePodInput,
  usageSeriesInput,
  usageTableInput,
} from '../../usage/schema.ts';
import { procedure, router } from '../trpc.ts';

export const usageRouter = router({
  status: procedure
    .input(usageClusterInput)
    .query(({ ctx, input, signal }) => ctx.usage.status(input.clusterId, signal)),
  sync: procedure.input(usageClusterInput).mutation(async ({ ctx, input, signal }) => {
    try {
      return await ctx.usage.sync(input.clusterId, signal);
    } catch (error) {
      // A chunk that does not parse: say which (it is not billed, nor anything after it).
      if (error instanceof LedgerFormatError) {
        throw new TRPCError({
          code: 'UNPROCESSABLE_CONTENT',
          message: error.message,
          cause: error,
        });
      }
      throw error;
    }
  }),
  table: procedure.input(usageTableInput).query(({ ctx, input }) => ctx.usage.table(input)),
  series: procedure.input(usageSeriesInput).query(({ ctx, input }) => ctx.usage.series(input)),
  idle: procedure.input(usageIdleInput).query(({ ctx, input }) => ctx.usage.idle(input)),
  pod: procedure.input(usagePodInput).query(({ ctx, input }) => ctx.usage.pod(input)),
  csv: procedure.input(usageTableInput).query(({ ctx, input }) => ctx.usage.csv(input)),
  prices: router({
    get: procedure
      .input(usageClusterInput)
      .query(({ ctx, input }) => ctx.usage.pricesGet(input.clusterId)),
    set: procedure
      .input(priceSettingsInput)
      .mutation(({ ctx, input, signal }) => ctx.usage.pricesSet(input, signal)),
  }),
});
