/**
 * `meter.*` (issue 15): the in-cluster meter's status on any cluster (objects, replicas, the
 * Lease's holder and renewal, whether the nodes have its image, and what to do), and install /
 * uninstall on clusters imported by kubeconfig and the demo (409 on clusters Nodeless installed:
 * their baseline owns the meter).
 *
 * @see ../../meter/service.ts
 */
import { meterInstallInput, meterStatusInput, meterUninstallInput } from '../../meter/schema.ts';
import { procedure, router } from '../trpc.ts';

export const meterRouter = router({
  status: procedure
    .input(meterStatusInput)
    .query(({ ctx, input, signal }) => ctx.meter.status(input, signal)),
  install: procedure
    .input(meterInstallInput)
    .mutation(({ ctx, input, signal }) => ctx.meter.install(input, signal)),
  uninstall: procedure
    .input(meterUninstallInput)
    .mutation(({ ctx, input, signal }) => ctx.meter.uninstall(input, signal)),
});
