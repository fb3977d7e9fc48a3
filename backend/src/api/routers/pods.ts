/**
 * `pods.*` (issue "Pod operations"): `pods.logs`, a subscription streaming a pod's or a
 * workload's logs in batches over the window's WebSocket (or SSE), with the transport's
 * backpressure. It holds the cluster's shared connection until it ends; it ends when the
 * subscriber goes or the backend shuts down, aborting every upstream request.
 *
 * @see ../../pods/logs-types.ts (the contract), ../../pods/logs-service.ts
 */
import { podLogs } from '../../pods/logs-service.ts';
import { logsInput } from '../../pods/schema.ts';
import { procedure, router } from '../trpc.ts';

export const podsRouter = router({
  logs: procedure.input(logsInput).subscription(({ ctx, input, signal }) => {
    const stop = signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown;
    ctx.workspace.get(input.clusterId); // 404 now, before the stream starts
    return podLogs({ workspace: ctx.workspace }, input, stop, ctx.transport);
  }),
});
