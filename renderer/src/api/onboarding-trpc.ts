/**
 * The tRPC implementation of {@link OnboardingApi}, on the same links as the inventory API
 * (batched HTTP, SSE for the event stream).
 *
 * @see https://trpc.io/docs/client/vanilla/setup
 */
import { createTRPCUntypedClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '@nodeless/backend/api';
import type {
  ClusterCheckView,
  OnboardingEvent,
  SshConfigHostView,
} from '../onboarding/contract-shim.ts';
import type { OnboardingApi } from './onboarding-api.ts';
import { API_PATH } from './trpc-client.ts';

export function createOnboardingApi(baseUrl: string = API_PATH): OnboardingApi {
  // Untyped by path until the backend's `onboarding` router is part of AppRouter; the
  // results are the contract types (onboarding-contract.md).
  const client = createTRPCUntypedClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: baseUrl }),
        false: httpBatchLink({ url: baseUrl }),
      }),
    ],
  });
  return {
    sshConfigHosts: async () =>
      (await client.query('onboarding.sshConfigHosts')) as SshConfigHostView[],
    check: async (input) => (await client.mutation('onboarding.check', input)) as { checkId: string },
    lastReport: async (input) =>
      (await client.query('onboarding.lastReport', input)) as ClusterCheckView | null,
    trustHostKey: async (input) =>
      (await client.mutation('onboarding.trustHostKey', input)) as {
        hostId: string;
        fingerprint: string;
      },
    forgetHostKey: async (input) =>
      (await client.mutation('onboarding.forgetHostKey', input)) as { hostId: string },
    subscribe(clusterId, handlers) {
      const sub = client.subscription(
        'onboarding.events',
        { clusterId },
        {
          onData: (event) => handlers.onEvent(event as OnboardingEvent),
          onError: (err) => handlers.onFailed(err),
        },
      );
      return () => sub.unsubscribe();
    },
  };
}
