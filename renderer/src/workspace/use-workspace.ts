/**
 * React bindings of the workspace hub: the cluster list, and feeds/overviews held open while
 * a view is mounted.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { FeedKind, FeedRows } from '@nodeless/backend/api';
import { useWorkspaceHub } from '../ui/app-context.tsx';
import type { FeedState, FeedStore } from './feed-store.ts';
import type { OverviewState, WorkspaceClustersState } from './workspace-hub.ts';

export function useWorkspaceClusters<T>(selector: (s: WorkspaceClustersState) => T): T {
  return useStore(useWorkspaceHub().clusters, selector);
}

/** The feed of a cluster and kind, subscribed while the calling view is mounted. */
export function useFeed<K extends FeedKind>(clusterId: string, kind: K): FeedStore<FeedRows[K]> {
  const hub = useWorkspaceHub();
  useEffect(() => hub.acquire(clusterId, kind), [hub, clusterId, kind]);
  return hub.feed(clusterId, kind);
}

export function useFeedState<R extends { uid: string }, T>(
  feed: FeedStore<R>,
  selector: (s: FeedState<R>) => T,
): T {
  return useStore(feed.store, selector);
}

/** The latest overview of a cluster, subscribed while the calling view is mounted. */
export function useOverview<T>(clusterId: string, selector: (s: OverviewState) => T): T {
  const hub = useWorkspaceHub();
  useEffect(() => hub.acquire(clusterId, 'overview'), [hub, clusterId]);
  return useStore(hub.overview(clusterId), selector);
}
