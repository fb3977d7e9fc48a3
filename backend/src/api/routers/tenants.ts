/**
 * `tenants.*`: a cluster's tenants (namespace, quota in specs, use), adding one, exporting a
 * tenant member's kubeconfig (token or client certificate) to a file (never into the answer: it
 * holds the credential), revoking every kubeconfig handed out or one member's, and removing a
 * tenant. Works for any connectable cluster (installed, imported, demo).
 *
 * @see ../../tenants/service.ts
 */
import {
  tenantsAddInput,
  tenantsKubeconfigInput,
  tenantsListInput,
  tenantsRemoveInput,
  tenantsRevokeInput,
} from '../../tenants/schema.ts';
import { procedure, router } from '../trpc.ts';

export const tenantsRouter = router({
  list: procedure
    .input(tenantsListInput)
    .query(({ ctx, input, signal }) => ctx.tenants.list(input, signal)),
  add: procedure
    .input(tenantsAddInput)
    .mutation(({ ctx, input, signal }) => ctx.tenants.add(input, signal)),
  kubeconfig: procedure
    .input(tenantsKubeconfigInput)
    .mutation(({ ctx, input, signal }) => ctx.tenants.kubeconfig(input, signal)),
  revoke: procedure
    .input(tenantsRevokeInput)
    .mutation(({ ctx, input, signal }) => ctx.tenants.revoke(input, signal)),
  remove: procedure
    .input(tenantsRemoveInput)
    .mutation(({ ctx, input, signal }) => ctx.tenants.remove(input, signal)),
});
