/**
 * The bootstrap engine as the backend sees it: host-bootstrap's `bootstrap/` module and the
 * effects and limits the bootstrap service takes from the outside world (injected so tests
 * point them at test hosts, shorten waits, and accept the stand-in's failing `kata-runtime
 * check` on hosts without KVM).
 *
 * Thin adapter: host-bootstrap's package entry does not export `bootstrap/` yet (its names
 * clash with onboarding's, e.g. `CheckResult`), so it is reached by path here, in one place.
 *
 * @see ../../../host-bootstrap/src/bootstrap/index.ts
 */
export {
  ClusterAccess,
  kubeconfigStep,
  leftovers,
  loadBundle,
  nodeName,
  planCluster,
  previewPlan,
  runPlan,
  uninstallStep,
  validateSpec,
  handlersFor,
  BootstrapError,
  type BootstrapEvent,
  type ClusterSpec,
  type HostHandle,
  type Journal,
  type JournalEntry,
  type Plan,
  type PlanPreviewItem,
  type RunOutcome,
  type Step,
  type StepContext,
  type WaitPolicy,
  type BundleArtifact,
} from '../../../host-bootstrap/src/bootstrap/index.ts';

/** What the bootstrap service may tune (all optional, sensible defaults). */
export interface BootstrapEngineOptions {
  /** Steps of one wave in flight at once (default 4). */
  concurrency?: number;
  /** Readiness waits (default: the engine's 180 s). */
  wait?: { timeoutMs: number; intervalMs: number };
  /** Go on when `kata-runtime check` fails on hosts without usable KVM (logged by the engine). */
  acceptFailedRuntimeCheck?: boolean;
  /** Timeouts for the nodes-Ready wait and the smoke pod (default: cluster-runtime's). */
  nodesReadyTimeoutMs?: number;
  smokeTimeoutMs?: number;
  /** SSH limits for the bootstrap's connections. */
  connect?: {
    timeouts?: { connectMs?: number; commandMs?: number };
    keepalive?: { intervalMs?: number; countMax?: number };
    retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  };
}

/** Hosts installed at once: k3s agents are light, but two shared cores are not many. */
export const DEFAULT_BOOTSTRAP_CONCURRENCY = 4;
