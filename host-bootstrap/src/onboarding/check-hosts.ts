/**
 * The onboarding check (DESIGN.md §4 phases 1–4) for many hosts at once: connect → trust →
 * privilege → facts → preflight per host with bounded concurrency and failure isolation
 * (one host failing never stops the others), then cluster rules and the capacity map.
 * Progress is data (`ProgressEvent`), logs go through a redacting logger.
 *
 * @see https://github.com/rancher-sandbox/rancher-desktop — progress as {current, max, description}
 * @see https://github.com/k0sproject/k0sctl/blob/main/phase/manager.go — phases over hosts
 */
import type { SshConnection } from '../connect/connection.ts';
import {
  openConnection,
  type ConnectDeps,
  type Keepalive,
  type Timeouts,
} from '../connect/open.ts';
import { ConnectionPool } from '../connect/pool.ts';
import type { RetryPolicy } from '../connect/retry.ts';
import type { HostSecrets, SshTarget } from '../connect/target.ts';
import {
  SshError,
  isSshError,
  type HostKeyDetails,
  type SshErrorKind,
} from '../errors/ssh-error.ts';
import { gatherFacts, measureClockSkew } from '../facts/gather.ts';
import type { ClockSkew, HostFacts } from '../facts/types.ts';
import { computeCapacity, type CapacityMap } from '../preflight/capacity.ts';
import { preflightCluster, type ClusterVerdicts } from '../preflight/cluster-rules.ts';
import { preflightHost, type HostLimits, type HostPreflight } from '../preflight/host-rules.ts';
import type { CapacityModel, SandboxRuntime } from '../preflight/specs.ts';
import {
  Redactor,
  type HostRole,
  type RedactFn,
  type SandboxChoice,
  type StepProgress,
} from '@nodeless/common';
import { establishPrivilege, type PrivilegeMode } from '../privilege/run.ts';
import type { TrustSources } from '../trust/verifier.ts';
import { mapWithConcurrency } from '../util/concurrency.ts';
import { redactingLogger, silentLogger, type Logger } from '../util/logger.ts';

/** One host to check. */
export interface HostSpec {
  /** Stable name in reports and events (usually the address the user typed). */
  readonly name: string;
  readonly role: HostRole;
  readonly target: SshTarget;
  readonly secrets?: HostSecrets;
  readonly sudoPassword?: string;
}

/** Steps of the check, in order. */
export const CHECK_STEPS = ['connect', 'trust', 'privilege', 'facts', 'preflight'] as const;
export type CheckStep = (typeof CHECK_STEPS)[number];

/** A progress event: data, not strings (the UI renders the step × host grid from these). */
export interface ProgressEvent extends Readonly<StepProgress> {
  readonly host: string;
  readonly step: CheckStep;
  readonly state: 'running' | 'done' | 'failed';
  /** 1-based index of the step; `max` = number of steps. */
  readonly current: number;
}

/** A failure as shown to the user. */
export interface HostFailure {
  readonly step: CheckStep;
  readonly kind: SshErrorKind;
  readonly message: string;
  readonly remedy: string;
  /** For host-key kinds: what the consent dialog needs. */
  readonly hostKey?: HostKeyDetails;
}

/** Everything known about one host after the check. */
export interface HostReport {
  readonly name: string;
  readonly role: HostRole;
  readonly status: 'ok' | 'failed';
  readonly failure?: HostFailure;
  readonly privilege?: PrivilegeMode;
  readonly facts?: HostFacts;
  readonly clock?: ClockSkew;
  readonly preflight?: HostPreflight;
}

/** Result of {@link checkHosts}. */
export interface CheckResult {
  readonly hosts: readonly HostReport[];
  readonly cluster: ClusterVerdicts;
  readonly capacity: CapacityMap;
}

/** Dependencies of {@link checkHosts}. */
export interface CheckDeps {
  readonly connect: ConnectDeps;
  readonly trust: TrustSources;
  /** Desktop clock (epoch ms), for skew. */
  readonly now: () => number;
  readonly logger?: Logger;
  /** Hosts checked at once (default 8). */
  readonly concurrency?: number;
  readonly timeouts?: Partial<Timeouts>;
  readonly keepalive?: Partial<Keepalive>;
  readonly retry?: RetryPolicy;
  readonly sandbox?: SandboxChoice;
  /** Host rule thresholds (default `HOST_LIMITS`). */
  readonly hostLimits?: HostLimits;
  readonly microvmRuntime?: SandboxRuntime;
  /** Pod sizes and runtime overheads of the capacity map (backend passes cluster-runtime's). */
  readonly capacityModel: CapacityModel;
  /** Reuse connections across calls (the backend keeps one per session); closed here if omitted. */
  readonly pool?: ConnectionPool;
}

function toFailure(err: unknown, step: CheckStep, redactor: RedactFn): HostFailure {
  const e: SshError = isSshError(err)
    ? err
    : new SshError(
        'command',
        `Unexpected error: ${err instanceof Error ? err.message : String(err)}`,
        {
          remedy: 'Retry; if it persists, report it with the log of this run.',
        },
      );
  const trustStep = e.kind === 'host-key-unknown' || e.kind === 'host-key-changed';
  return {
    step: trustStep ? 'trust' : step,
    kind: e.kind,
    message: redactor(e.message),
    remedy: redactor(e.remedy),
    ...(e.hostKey ? { hostKey: e.hostKey } : {}),
  };
}

/** Collects every secret of the run for redaction. */
function allSecrets(hosts: readonly HostSpec[]): string[] {
  const out: string[] = [];
  const add = (s?: HostSecrets) =>
    out.push(...[s?.passphrase, s?.password].filter((x): x is string => !!x));
  for (const h of hosts) {
    add(h.secrets);
    if (h.sudoPassword) out.push(h.sudoPassword);
    for (const j of h.target.jump ?? []) add(j.secrets);
  }
  return out;
}

/**
 * Checks every host and the cluster as a whole. Never throws for a host's failure: it is in
 * that host's report. `onProgress` receives one event per step transition.
 */
export async function checkHosts(
  hosts: readonly HostSpec[],
  deps: CheckDeps,
  onProgress: (event: ProgressEvent) => void = () => undefined,
): Promise<CheckResult> {
  const redactor = new Redactor(allSecrets(hosts)).fn;
  const logger = redactingLogger(deps.logger ?? silentLogger, redactor);
  const pool = deps.pool ?? new ConnectionPool();
  const max = CHECK_STEPS.length;
  const emit = (
    host: string,
    step: CheckStep,
    state: ProgressEvent['state'],
    description: string,
  ) =>
    onProgress({
      host,
      step,
      state,
      current: CHECK_STEPS.indexOf(step) + 1,
      max,
      description: redactor(description),
    });

  const checkOne = async (spec: HostSpec): Promise<HostReport> => {
    let step: CheckStep = 'connect';
    const base = { name: spec.name, role: spec.role };
    try {
      emit(spec.name, 'connect', 'running', `Connecting to ${spec.target.host}`);
      logger.log('info', `connecting to ${spec.name}`, { host: spec.name });
      const conn: SshConnection = await pool.get(spec.name, () =>
        openConnection(
          spec.target,
          {
            trust: deps.trust,
            ...(spec.secrets ? { secrets: spec.secrets } : {}),
            ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
            ...(deps.keepalive ? { keepalive: deps.keepalive } : {}),
            ...(deps.retry ? { retry: deps.retry } : {}),
          },
          {
            ...deps.connect,
            retryDeps: {
              ...deps.connect.retryDeps,
              onRetry: (err, retry, delayMs) =>
                logger.log(
                  'warn',
                  `retry ${retry} for ${spec.name} in ${delayMs} ms: ${err instanceof Error ? err.message : String(err)}`,
                  { host: spec.name },
                ),
            },
          },
        ),
      );
      emit(spec.name, 'connect', 'done', `Connected as ${conn.user}`);
      step = 'trust';
      emit(spec.name, 'trust', 'done', 'Host key verified');
      step = 'privilege';
      emit(spec.name, 'privilege', 'running', 'Checking root access');
      const runner = await establishPrivilege(conn, {
        ...(spec.sudoPassword !== undefined ? { sudoPassword: spec.sudoPassword } : {}),
        ...(deps.timeouts?.commandMs ? { timeoutMs: deps.timeouts.commandMs } : {}),
      });
      emit(
        spec.name,
        'privilege',
        'done',
        `Root access: ${runner.mode}${runner.pty ? ' (tty)' : ''}`,
      );
      step = 'facts';
      emit(spec.name, 'facts', 'running', 'Gathering facts');
      const clock = await measureClockSkew(conn, deps.now);
      const facts = await gatherFacts(runner, deps.timeouts?.commandMs);
      logger.log(
        'info',
        `facts of ${spec.name}: ${facts.os.prettyName}, ${facts.arch}, ${facts.cpu.count} CPUs`,
        { host: spec.name },
      );
      emit(spec.name, 'facts', 'done', `${facts.os.prettyName}, ${facts.arch}`);
      step = 'preflight';
      emit(spec.name, 'preflight', 'running', 'Evaluating preflight rules');
      const preflight = preflightHost(facts, spec.role, deps.sandbox ?? 'auto', deps.hostLimits);
      emit(
        spec.name,
        'preflight',
        'done',
        `Verdict: ${preflight.level}, sandbox: ${preflight.sandbox}`,
      );
      return {
        ...base,
        status: 'ok',
        privilege: runner.mode,
        facts,
        ...(clock ? { clock } : {}),
        preflight,
      };
    } catch (err) {
      const failure = toFailure(err, step, redactor);
      emit(spec.name, failure.step, 'failed', failure.message);
      logger.log('error', `${spec.name} failed at ${failure.step}: ${failure.message}`, {
        host: spec.name,
        kind: failure.kind,
      });
      // A connection that failed mid-way is not reused: the next check reconnects.
      await pool.release(spec.name);
      return { ...base, status: 'failed', failure };
    }
  };

  try {
    const reports = await mapWithConcurrency(hosts, deps.concurrency ?? 8, checkOne);
    const withFacts = reports.filter(
      (r): r is HostReport & { facts: HostFacts; preflight: HostPreflight } =>
        !!r.facts && !!r.preflight,
    );
    const capacity = computeCapacity(
      withFacts.map((r) => ({
        name: r.name,
        role: r.role,
        facts: r.facts,
        sandbox: r.preflight.sandbox,
        eligible: r.preflight.level !== 'block',
      })),
      deps.capacityModel,
      deps.microvmRuntime,
    );
    const cluster = preflightCluster(
      withFacts.map((r) => ({
        name: r.name,
        role: r.role,
        hostname: r.facts.hostname,
        machineId: r.facts.machineId,
        clock: r.clock,
      })),
      hosts.filter((h) => h.role === 'server').length,
      capacity,
    );
    return { hosts: reports, cluster, capacity };
  } finally {
    if (!deps.pool) await pool.closeAll();
  }
}
