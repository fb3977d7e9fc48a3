/**
 * The tRPC implementation of {@link OnboardingApi}, sharing the inventory API's client
 * (HTTP calls, the event stream over the shared WebSocket).
 *
 * @see https://trpc.io/docs/client/vanilla/setup
 * @see ../../../backend/src/api/routers/onboarding.ts
 */
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '@nodeless/backend/api';
import type { OnboardingApi } from './onboarding-api.ts';
import { createTrpc } from './trpc-client.ts';

/** Binds {@link OnboardingApi} to a tRPC client (share the inventory API's one). */
export function createOnboardingApi(trpc: TRPCClient<AppRouter> = createTrpc()): OnboardingApi {
  return {
    sshConfigHosts: () => trpc.onboarding.sshConfigHosts.query(),
    check: (input) => trpc.onboarding.check.mutate(input),
    lastReport: (input) => trpc.onboarding.lastReport.query(input),
    trustHostKey: (input) => trpc.onboarding.trustHostKey.mutate(input),
    forgetHostKey: (input) => trpc.onboarding.forgetHostKey.mutate(input),
    subscribe(clusterId, handlers) {
      const sub = trpc.onboarding.events.subscribe(
        { clusterId },
        {
          onData: (event) => handlers.onEvent(event),
          onError: (err) => handlers.onFailed(err),
        },
      );
      return () => sub.unsubscribe();
    },
  };
}
