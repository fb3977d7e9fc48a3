/** `clusters.*`: create, rename, delete (with confirmation when hosts would go too). */
import {
  createClusterInput,
  deleteClusterInput,
  renameClusterInput,
} from '../../inventory/schema.ts';
import { procedure, router } from '../trpc.ts';

export const clustersRouter = router({
  create: procedure
    .input(createClusterInput)
    .mutation(({ ctx, input }) => ctx.inventory.createCluster(input)),
  rename: procedure
    .input(renameClusterInput)
    .mutation(({ ctx, input }) => ctx.inventory.renameCluster(input)),
  delete: procedure
    .input(deleteClusterInput)
    .mutation(({ ctx, input }) => ctx.inventory.deleteCluster(input)),
});
