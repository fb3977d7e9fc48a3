/**
 * @nodeless/host-bootstrap — the SSH onboarding engine (DESIGN.md §4, phases 1–4).
 *
 * Typical use (backend):
 * ```ts
 * const deps = nodeConnectDeps();
 * const trust = { store: sqliteKnownHosts, knownHosts: await loadUserKnownHosts() };
 * const probe = await probeHostKey({ host: '10.0.0.5', user: 'admin' }, { trust }, deps);
 * // …show probe.fingerprint, on consent:
 * await trustHostKey(trust.store, probe, Date.now);
 * // capacityModel: common's pod sizes and cluster-runtime's runtime overheads (backend wires them)
 * const result = await checkHosts(
 *   hosts,
 *   { connect: deps, trust, now: Date.now, capacityModel },
 *   onProgress,
 * );
 * ```
 * Errors are {@link SshError}s with `kind`, a plain-words `message` and a `remedy`.
 */
export {
  SshError,
  isSshError,
  type SshErrorKind,
  type HostKeyDetails,
} from './errors/ssh-error.ts';
export { shellQuote, shellJoin } from './util/shell-quote.ts';
export { mapWithConcurrency } from './util/concurrency.ts';
export { redactingLogger, silentLogger, type Logger, type LogLevel } from './util/logger.ts';

export {
  resolveTarget,
  parseJumpSpec,
  expandPath,
  type SshTarget,
  type HostSecrets,
  type ResolvedHop,
  type ResolveEnv,
} from './connect/target.ts';
export {
  openConnection,
  probeHostKey,
  classifyConnectError,
  defaultTimeouts,
  defaultKeepalive,
  type ConnectOptions,
  type ConnectDeps,
  type Timeouts,
  type Keepalive,
  type HostKeyProbe,
} from './connect/open.ts';
export type { SshConnection, ExecOptions, ExecResult } from './connect/connection.ts';
export { ConnectionPool } from './connect/pool.ts';
export {
  withRetry,
  isTransientError,
  backoffDelay,
  defaultRetryPolicy,
  type RetryPolicy,
  type RetryDeps,
} from './connect/retry.ts';
export { nodeConnectDeps, loadUserKnownHosts, type NodeDepsOptions } from './connect/node-deps.ts';
export { parsePrivateKey } from './connect/auth.ts';

export { sha256Fingerprint, wireKeyType } from './trust/fingerprint.ts';
export {
  parseKnownHosts,
  knownHostsName,
  hashHostName,
  type KnownHostsEntry,
} from './trust/known-hosts.ts';
export { MemoryKnownHostsStore, type KnownHostsStore, type StoredHostKey } from './trust/store.ts';
export { trustHostKey, type HostKeyConsent } from './trust/consent.ts';
export {
  loadKnownHosts,
  knownKeysFor,
  evaluateHostKey,
  type TrustSources,
  type KnownStatus,
} from './trust/verifier.ts';

export {
  establishPrivilege,
  type PrivilegedRunner,
  type PrivilegeMode,
  type PrivilegeOptions,
} from './privilege/run.ts';

export { FACTS_SCRIPT } from './facts/script.ts';
export { parseFacts } from './facts/parse.ts';
export { gatherFacts, measureClockSkew, computeSkew } from './facts/gather.ts';
export {
  KUBE_PORTS,
  type HostFacts,
  type ClockSkew,
  type PortInUse,
  type ModuleState,
} from './facts/types.ts';

export {
  preflightHost,
  sandboxReadiness,
  HOST_LIMITS,
  type HostLimits,
  type HostPreflight,
} from './preflight/host-rules.ts';
export {
  preflightCluster,
  MAX_SKEW_MS,
  type ClusterVerdicts,
  type ClusterHostInput,
} from './preflight/cluster-rules.ts';
export {
  computeCapacity,
  K3S_RESERVE,
  type CapacityMap,
  type HostCapacity,
} from './preflight/capacity.ts';
export { podsThatFit, type CapacityModel, type SandboxRuntime } from './preflight/specs.ts';
export {
  clusterFileSchema,
  kataSha256Field,
  kataVersionField,
  type ClusterFile,
  type ClusterFileHost,
} from './cluster-file/schema.ts';
export {
  parseClusterFile,
  resolveFileHosts,
  formatFieldErrors,
  type FieldError,
  type ClusterFileResult,
  type ResolvedFileHost,
} from './cluster-file/parse.ts';

export {
  checkHosts,
  CHECK_STEPS,
  type HostSpec,
  type CheckDeps,
  type CheckResult,
  type CheckStep,
  type HostReport,
  type HostFailure,
  type ProgressEvent,
} from './onboarding/check-hosts.ts';
