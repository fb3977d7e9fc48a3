/**
 * Hooks of the onboarding screens: keep a cluster's event stream open while its page is
 * shown, and read its onboarding state.
 */
import { useEffect } from 'react';
import { toProblem } from '../api/problems.ts';
import { useOnboarding, useOnboardingApi, useOnboardingStore } from '../ui/app-context.tsx';
import { emptyOnboarding, type ClusterOnboarding } from './check-model.ts';

/**
 * Opens `onboarding.events` for the cluster (its first event replays the latest report) and
 * also asks `onboarding.lastReport`, so the page shows the last check on load even if the
 * stream is slow; the reducer keeps whichever report is newer.
 */
export function useOnboardingStream(clusterId: string): void {
  const api = useOnboardingApi();
  const onboarding = useOnboardingStore();
  useEffect(() => {
    let open = true;
    onboarding.setStreamError(clusterId, null);
    const close = api.subscribe(clusterId, {
      onEvent: (event) => onboarding.push(clusterId, event),
      onFailed: (err) => {
        if (open) onboarding.setStreamError(clusterId, toProblem(err).message);
      },
    });
    api.lastReport({ clusterId }).then(
      (report) => {
        if (open && report) onboarding.push(clusterId, { type: 'report.loaded', report });
      },
      // The stream reports its own failures; a failed one-off read changes nothing shown.
      () => undefined,
    );
    return () => {
      open = false;
      close();
    };
  }, [api, onboarding, clusterId]);
}

/** The cluster's grid and latest report; re-renders when they change. */
export function useClusterOnboarding(clusterId: string): ClusterOnboarding {
  return useOnboarding((s) => s.clusters.get(clusterId) ?? emptyOnboarding);
}

/** Why the cluster's live stream ended, if it did. */
export function useStreamError(clusterId: string): string | undefined {
  return useOnboarding((s) => s.streamErrors.get(clusterId));
}
