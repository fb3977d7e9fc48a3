/**
 * The bootstrap engine as the backend sees it: host-bootstrap's `bootstrap` entry point
 * (its own subpath, since names like `CheckResult` differ from onboarding's) and the limits
 * the bootstrap service takes from outside (injected so tests can shorten waits).
 */
export {
  ClusterAccess,
  defaultWait,
  kubeconfigStep,
  leftovers,
  loadBundle,
  localArtifact,
  nodeName,
  planCluster,
  previewPlan,
  runPlan,
  uninstallStep,
  validateSpec,
  handlersFor,
  BootstrapError,
  type ClusterSpec,
  type HostHandle,
  type Journal,
  type JournalEntry,
  type Plan,
  type PlanPreviewItem,
  type RunOutcome,
  type WaitPolicy,
  type BundleArtifact,
} from '@nodeless/host-bootstrap/bootstrap';

/** What the bootstrap service may tune (all optional, sensible defaults). */
export interface BootstrapEngineOptions {
  /** Steps of one wave in flight at once (default 4). */
  concurrency?: number;
  /** Readiness waits (default: the engine's 180 s). */
  wait?: { timeoutMs: number; intervalMs: number };
  /** Timeouts for the nodes-Ready wait and the smoke pod (default: cluster-runtime's). */
  nodesReadyTimeoutMs?: number;
  smokeTimeoutMs?: number;
  /**
   * The meter's image archive on this machine (`nodeless-meter-<version>.tar`, built by `npm run
   * build:meter-image`): staged into k3s's images directory on every machine, uploaded over
   * SFTP on online installs (an airgap bundle carrying its own wins). Unset: only a bundle's.
   */
  meterImageArchive?: string;
  /** SSH limits for the bootstrap's connections. */
  connect?: {
    timeouts?: { connectMs?: number; commandMs?: number };
    keepalive?: { intervalMs?: number; countMax?: number };
    retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  };
}

/** Hosts installed at once: k3s agents are light, but two shared cores are not many. */
export const DEFAULT_BOOTSTRAP_CONCURRENCY = 4;
