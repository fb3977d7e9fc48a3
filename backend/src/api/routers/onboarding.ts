/**
 * `onboarding.*`: check a cluster's hosts (progress and report on the `events` SSE feed),
 * read the last report, trust or forget host keys, list ~/.ssh/config aliases.
 *
 * @see ../../../../renderer/src/api/onboarding-api.ts — what the renderer expects of these procedures
 * @see https://trpc.io/docs/server/subscriptions
 */
import {
  checkInput,
  clusterIdInput,
  forgetHostKeyInput,
  trustHostKeyInput,
} from '../../onboarding/schema.ts';
import { procedure, router } from '../trpc.ts';

export const onboardingRouter = router({
  sshConfigHosts: procedure.query(({ ctx }) => ctx.onboarding.sshConfigHosts()),
  check: procedure.input(checkInput).mutation(({ ctx, input }) => ctx.onboarding.check(input)),
  lastReport: procedure
    .input(clusterIdInput)
    .query(({ ctx, input }) => ctx.onboarding.lastReport(input.clusterId)),
  events: procedure.input(clusterIdInput).subscription(({ ctx, input, signal }) => {
    const stop = signal ? AbortSignal.any([signal, ctx.shutdown]) : ctx.shutdown;
    return ctx.onboarding.subscribe(input.clusterId, stop, ctx.transport);
  }),
  trustHostKey: procedure
    .input(trustHostKeyInput)
    .mutation(({ ctx, input }) => ctx.onboarding.trustHostKey(input)),
  forgetHostKey: procedure
    .input(forgetHostKeyInput)
    .mutation(({ ctx, input }) => ctx.onboarding.forgetHostKey(input)),
});
