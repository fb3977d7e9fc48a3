/**
 * `workloads.deploy.*` (issue "Workloads", point 2): the namespaces to deploy into, what a deploy
 * would delete (an earlier deploy's Service once Expose is No), and deploying
 * a form — validated by common's rules, built by common's `deployObjects` (the preview's own
 * function), dry-run, then server-side applied with field manager `nodeless`. Procedures reach
 * the cluster through `ctx.workspace.withConnection` so they share its connection and error
 * wording.
 *
 * @see ../../workloads/deploy/deploy.ts
 */
import {
  deployNamespacesInput,
  deployPlanInput,
  deploySubmitInput,
} from '../../workloads/deploy/schema.ts';
import { deployNamespaces, deployPlan, deploySubmit } from '../../workloads/deploy/service.ts';
import { procedure, router } from '../trpc.ts';

export const workloadsDeployRouter = router({
  namespaces: procedure
    .input(deployNamespacesInput)
    .query(({ ctx, input, signal }) => deployNamespaces(ctx.workspace, input, signal)),
  plan: procedure
    .input(deployPlanInput)
    .query(({ ctx, input, signal }) => deployPlan(ctx.workspace, input, signal)),
  submit: procedure
    .input(deploySubmitInput)
    .mutation(({ ctx, input, signal }) => deploySubmit(ctx.workspace, input, signal)),
});
