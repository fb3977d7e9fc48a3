/**
 * Hooks of the install screens: keep a cluster's bootstrap stream open while its page is
 * shown (its first event is the latest run, so a reload or a second window shows it), load
 * the stored log of the run on display, and read what is installed.
 */
import { useEffect, useState } from 'react';
import type { ClusterInstallView, RunView } from '@nodeless/backend/api';
import { toProblem } from '../api/problems.ts';
import { useBootstrapApi, useInstall, useInstallStore } from '../ui/app-context.tsx';
import { emptyBootstrap, type ClusterBootstrap } from './run-model.ts';

/**
 * Opens `bootstrap.events` for the cluster while `enabled`; closes it when the page goes.
 * Only clusters with an install (or one being set up) need it: every stream holds one of the
 * browser's few HTTP/1.1 connections to the backend, and an idle one here starved the
 * onboarding's requests.
 */
export function useBootstrapStream(clusterId: string, enabled = true): void {
  const api = useBootstrapApi();
  const install = useInstallStore();
  useEffect(() => {
    if (!enabled) return;
    let open = true;
    install.setStreamError(clusterId, null);
    const close = api.subscribe(clusterId, {
      onEvent: (event) => install.push(clusterId, event),
      onFailed: (err) => {
        if (open) install.setStreamError(clusterId, toProblem(err).message);
      },
    });
    return () => {
      open = false;
      close();
    };
  }, [api, install, clusterId, enabled]);
}

/** The stored log of `runId` (history before this window opened), merged into the store. */
export function useRunLogs(clusterId: string, runId: string | undefined): void {
  const api = useBootstrapApi();
  const install = useInstallStore();
  useEffect(() => {
    if (!runId) return;
    let open = true;
    api.logs({ runId, limit: 5_000 }).then(
      ({ lines }) => {
        if (open) install.push(clusterId, { type: 'logs.loaded', runId, lines });
      },
      // Live lines keep coming; a failed history read only leaves earlier lines out.
      () => undefined,
    );
    return () => {
      open = false;
    };
  }, [api, install, clusterId, runId]);
}

export function useClusterBootstrap(clusterId: string): ClusterBootstrap {
  return useInstall((s) => s.clusters.get(clusterId) ?? emptyBootstrap);
}

export function useInstallStreamError(clusterId: string): string | undefined {
  return useInstall((s) => s.streamErrors.get(clusterId));
}

/** What is installed, and the run history; re-read whenever `version` changes. */
export interface InstallInfo {
  cluster: ClusterInstallView | null;
  runs: readonly RunView[];
}

export function useInstallInfo(clusterId: string, version: string): InstallInfo {
  const api = useBootstrapApi();
  const [info, setInfo] = useState<InstallInfo>({ cluster: null, runs: [] });
  useEffect(() => {
    let open = true;
    Promise.all([api.cluster({ clusterId }), api.runs({ clusterId })]).then(
      ([cluster, runs]) => {
        if (open) setInfo({ cluster, runs });
      },
      // Shown as "not installed" until the next change; the stream reports connection loss.
      () => undefined,
    );
    return () => {
      open = false;
    };
  }, [api, clusterId, version]);
  return info;
}
