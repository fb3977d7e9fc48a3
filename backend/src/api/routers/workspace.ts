/**
 * `workspace.*`: every cluster the app knows (installed, imported, demo), kubeconfig import,
 * and per cluster the live feeds (pods, nodes, events), the Overview and pod details. Feeds and
 * the Overview are subscriptions (tRPC v11 async generators, over SSE or the WebSocket, given
 * the transport's `ctx.transport`); each holds the cluster's shared connection until it ends.
 *
 * @see ../../clusters/contract.ts — the types these procedures take and return
 * @see https://trpc.io/docs/server/subscriptions
 */
import {
  feedInput,
  importKubeconfigInput,
  overviewInput,
  podInput,
  previewKubeconfigInput,
  removeClusterInput,
} from '../../clusters/schema.ts';
import { procedure, router } from '../trpc.ts';

/**
 * Kubeconfig text is a secret and the API logs every call's input, even one that fails schema
 * validation: register the text with the log redactor before anything else runs.
 */
const kubeconfigProcedure = procedure.use(async ({ ctx, getRawInput, next }) => {
  const raw = await getRawInput().catch(() => undefined);
  if (typeof raw === 'object' && raw !== null) {
    const text = (raw as { text?: unknown }).text;
    if (typeof text === 'string') ctx.workspace.registerSecret(text);
  }
  return next();
});

export const workspaceRouter = router({
  clusters: procedure.query(({ ctx }) => ctx.workspace.list()),
  /** The cluster list, then the list again whenever it changes (any window, the API). */
  clusterEvents: procedure.subscription(({ ctx, signal }) => {
    const stop = signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown;
    return ctx.workspace.clusterEvents(stop, ctx.transport);
  }),
  /** A mutation, not a query: the pasted text can be megabytes, too long for a GET URL. */
  previewKubeconfig: kubeconfigProcedure
    .input(previewKubeconfigInput)
    .mutation(({ ctx, input }) => ctx.workspace.preview(input)),
  importKubeconfig: kubeconfigProcedure
    .input(importKubeconfigInput)
    .mutation(({ ctx, input }) => ctx.workspace.import(input)),
  remove: procedure
    .input(removeClusterInput)
    .mutation(({ ctx, input }) => ctx.workspace.remove(input.clusterId)),
  feed: procedure.input(feedInput).subscription(({ ctx, input, signal }) => {
    const stop = signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown;
    ctx.workspace.get(input.clusterId); // 404 now, before the stream starts
    return ctx.workspace.feed(input.clusterId, input.kind, stop, ctx.transport);
  }),
  overview: procedure.input(overviewInput).subscription(({ ctx, input, signal }) => {
    const stop = signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown;
    ctx.workspace.get(input.clusterId);
    return ctx.workspace.overview(input.clusterId, stop, ctx.transport);
  }),
  pod: procedure
    .input(podInput)
    .query(({ ctx, input, signal }) => ctx.workspace.pod(input, signal)),
});
