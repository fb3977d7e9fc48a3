/**
 * `workloads.deploy.*` (issue "Workloads", point 2): the namespaces to deploy into, and deploying
 * a form — validated by common's rules, built by common's `deployObjects` (the preview's own
 * function), dry-run, then server-side applied with field manager `nodeless`. Procedures reach
 * the cluster through `ctx.workspace.withConnection` so they share its connection and error
 * wording.
 *
 * @see ../../workloads/deploy/deploy.ts
 */
import { deploySubmitInput, deployNamespacesInput } from '../../workloads/deploy/schema.ts';
import { deploySubmit, deployNamespaces } from '../../workloads/deploy/service.ts';
import { procedure, router } from '../trpc.ts';

export const workloadsDeployRouter = router({
  namespaces: procedure
    .input(deployNamespacesInput)
    .query(({ ctx, input, signal }) => deployNamespaces(ctx.workspace, input, signal)),
  submit: procedure
    .input(deploySubmitInput)
    .mutation(({ ctx, input, signal }) => deploySubmit(ctx.workspace, input, signal)),
});
