/**
 * What the install screens need from the backend (`bootstrap.*`), as a narrow interface so
 * views can be driven by a fake and the transport changes in one place.
 *
 * @see ../../../backend/src/api/routers/bootstrap.ts — the procedures behind it.
 * @see ../../../backend/src/api/routers/bootstrap.ts — the procedures behind this interface
 */
import type {
  BootstrapStreamEvent,
  ClusterInstallView,
  ExportKubeconfigInput,
  InstallOptionsInput,
  InstallOptionsView,
  LogLineView,
  LogsInput,
  PreviewView,
  RunView,
} from '@nodeless/backend/api';

/** Callbacks of one cluster's live bootstrap stream. */
export interface BootstrapStreamHandlers {
  onEvent(event: BootstrapStreamEvent): void;
  /** Stream ended for good (e.g. the cluster was deleted or the session refused). */
  onFailed(error: unknown): void;
}

/** The `bootstrap.*` procedures the renderer uses. */
export interface BootstrapApi {
  defaults(input: { clusterId: string }): Promise<InstallOptionsView>;
  preview(input: { clusterId: string; options: InstallOptionsInput }): Promise<PreviewView>;
  start(input: { clusterId: string; options: InstallOptionsInput }): Promise<{ runId: string }>;
  cancel(input: { runId: string }): Promise<{ runId: string }>;
  /** Resume and Retry: continues the run from its first unfinished step. */
  resume(input: { runId: string }): Promise<{ runId: string }>;
  runs(input: { clusterId: string }): Promise<RunView[]>;
  logs(input: LogsInput): Promise<{ lines: LogLineView[] }>;
  cluster(input: { clusterId: string }): Promise<ClusterInstallView>;
  exportKubeconfig(input: ExportKubeconfigInput): Promise<{ path: string; context: string }>;
  addHosts(input: { clusterId: string; hostIds: string[] }): Promise<{ runId: string }>;
  removeHost(input: { clusterId: string; hostId: string }): Promise<{ runId: string }>;
  reset(input: { clusterId: string; confirmName: string }): Promise<{ runId: string }>;
  /** Opens the cluster's event stream (latest run first); returns a function that closes it. */
  subscribe(clusterId: string, handlers: BootstrapStreamHandlers): () => void;
}
