/**
 * `bootstrap.*`: install options and preview, start/cancel/resume runs (progress on the
 * `events` SSE feed), run views and logs, the installed cluster and its kubeconfig export,
 * day 2 (add hosts, remove a host, reset).
 *
 * @see ../../../../renderer/src/api/bootstrap-api.ts — what the renderer expects of these procedures
 * @see https://trpc.io/docs/server/subscriptions
 */
import {
  addHostsInput,
  clusterIdInput,
  exportKubeconfigInput,
  logsInput,
  removeHostInput,
  resetInput,
  runIdInput,
  startInput,
} from '../../bootstrap/schema.ts';
import { procedure, router } from '../trpc.ts';

export const bootstrapRouter = router({
  defaults: procedure
    .input(clusterIdInput)
    .query(({ ctx, input }) => ctx.bootstrap.defaults(input.clusterId)),
  preview: procedure
    .input(startInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.preview(input.clusterId, input.options)),
  start: procedure
    .input(startInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.start(input.clusterId, input.options)),
  cancel: procedure
    .input(runIdInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.service.cancel(input.runId)),
  resume: procedure
    .input(runIdInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.service.resume(input.runId)),
  events: procedure.input(clusterIdInput).subscription(({ ctx, input, signal }) => {
    const stop = signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown;
    return ctx.bootstrap.service.subscribe(input.clusterId, stop, ctx.transport);
  }),
  runs: procedure
    .input(clusterIdInput)
    .query(({ ctx, input }) => ctx.bootstrap.service.runs(input.clusterId)),
  run: procedure
    .input(runIdInput)
    .query(({ ctx, input }) => ctx.bootstrap.service.runView(input.runId)),
  logs: procedure.input(logsInput).query(({ ctx, input }) => ctx.bootstrap.logs(input)),
  cluster: procedure
    .input(clusterIdInput)
    .query(({ ctx, input }) => ctx.bootstrap.clusterView(input.clusterId)),
  exportKubeconfig: procedure
    .input(exportKubeconfigInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.exportKubeconfig(input)),
  addHosts: procedure
    .input(addHostsInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.addHosts(input.clusterId, input.hostIds)),
  removeHost: procedure
    .input(removeHostInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.removeHost(input.clusterId, input.hostId)),
  reset: procedure
    .input(resetInput)
    .mutation(({ ctx, input }) => ctx.bootstrap.reset(input.clusterId, input.confirmName)),
});
