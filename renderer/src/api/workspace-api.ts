/**
 * What the cluster workspace screens need from the backend (`workspace.*`), as a narrow
 * interface so views and stores are driven by a fake in units and in the dev entry, and the
 * transport changes in one place.
 *
 * @see ../../../backend/src/clusters/contract.ts — the types behind it
 */
import type {
  FeedKind,
  FeedMessage,
  FeedRows,
  KubeconfigContextChoice,
  Overview,
  PodDetail,
  WorkspaceCluster,
  WorkspaceClustersEvent,
} from '@nodeless/backend/api';

/** Where a kubeconfig comes from: its text (pasted, or read from a chosen file) or a path. */
export type KubeconfigSource = { text: string } | { path: string };

export type ImportKubeconfigRequest = KubeconfigSource & { name: string; context: string };

/** Callbacks of one live subscription. */
export interface StreamHandlers<T> {
  onData(data: T): void;
  /** The subscription ended for good (e.g. the cluster was removed or the session refused). */
  onFailed(error: unknown): void;
}

/** The `workspace.*` procedures the renderer uses. */
export interface WorkspaceApi {
  /** The cluster list now, then again whenever it changes (an import or removal anywhere). */
  clusterEvents(handlers: StreamHandlers<WorkspaceClustersEvent>): () => void;
  /** The contexts of a kubeconfig, without importing it (400 naming `text`/`path` when bad). */
  previewKubeconfig(input: KubeconfigSource): Promise<KubeconfigContextChoice[]>;
  importKubeconfig(input: ImportKubeconfigRequest): Promise<WorkspaceCluster>;
  remove(input: { clusterId: string }): Promise<unknown>;
  pod(input: { clusterId: string; namespace: string; name: string }): Promise<PodDetail>;
  /** Opens a keyed feed; returns the function that closes it. */
  feed<K extends FeedKind>(
    clusterId: string,
    kind: K,
    handlers: StreamHandlers<FeedMessage<FeedRows[K]>>,
  ): () => void;
  overview(clusterId: string, handlers: StreamHandlers<Overview>): () => void;
}

/** The rows of the feeds (cluster-runtime's slim projections), named for the views. */
export type PodRow = FeedRows['pods'];
export type NodeRow = FeedRows['nodes'];
export type EventRow = FeedRows['events'];
