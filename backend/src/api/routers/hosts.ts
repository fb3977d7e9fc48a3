/** `hosts.*`: add, update (omitted secrets keep the stored ones), remove. */
import { addHostInput, removeHostInput, updateHostInput } from '../../inventory/schema.ts';
import { procedure, router } from '../trpc.ts';

export const hostsRouter = router({
  add: procedure.input(addHostInput).mutation(({ ctx, input }) => ctx.inventory.addHost(input)),
  update: procedure
    .input(updateHostInput)
    .mutation(({ ctx, input }) => ctx.inventory.updateHost(input)),
  remove: procedure
    .input(removeHostInput)
    .mutation(({ ctx, input }) => ctx.inventory.removeHost(input)),
});
