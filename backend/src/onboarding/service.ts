/**
 * The onboarding service: runs the engine's check over a cluster's inventory hosts in the
 * background, one check per cluster at a time, publishes progress on {@link OnboardingEvents},
 * persists each report, and records the user's host-key decisions in the shared SQLite store
 * (the `nodeless` CLI reads the same table).
 *
 * @see ../../../host-bootstrap/src/onboarding/check-hosts.ts — `checkHosts`
 * @see DESIGN.md §4 phases 1–4
 */
import { randomUUID } from 'node:crypto';
import {
  CHECK_STEPS,
  checkHosts,
  knownHostsName,
  resolveTarget,
  type CheckResult,
  type HostSpec,
  type Logger as EngineLogger,
  type TrustSources,
} from '@nodeless/host-bootstrap';
import type { SubscribeOptions } from '../feed/types.ts';
import { InputError, NotFoundError } from '../inventory/errors.ts';
import { assertManaged } from '../inventory/managed.ts';
import type { Logger } from '../log/logger.ts';
import type { HostRow } from '../store/hosts.ts';
import type { Store } from '../store/store.ts';
import { CAPACITY_MODEL } from './capacity-model.ts';
import { connectLimits, type OnboardingEngine } from './engine.ts';
import { ConflictError } from './errors.ts';
import type { OnboardingEvents } from './events.ts';
import { hostSpec, hostTarget } from './host-specs.ts';
import { sshConfigHosts } from './ssh-config-hosts.ts';
import { trustLiveHostKey } from './trust.ts';
import type { ClusterCheckView, OnboardingEvent, SshConfigHostView } from './types.ts';
import { clusterCheckView, type CheckedHostMeta } from './views.ts';

export interface OnboardingServiceDeps {
  store: Store;
  events: OnboardingEvents;
  engine: OnboardingEngine;
  clock: () => Date;
  /** The backend's (redacting) logger. */
  logger: Logger;
  /** The log redactor's `register`: every revealed secret goes through it first. */
  registerSecret: (plain: string) => void;
  newId?: () => string;
}

/** How long `close()` waits for running checks before letting them finish unrecorded. */
const CLOSE_GRACE_MS = 3_000;

export class OnboardingService {
  readonly #deps: OnboardingServiceDeps;
  readonly #newId: () => string;
  /** clusterId → the running check's completion. */
  readonly #running = new Map<string, Promise<void>>();
  #closed = false;

  constructor(deps: OnboardingServiceDeps) {
    this.#deps = deps;
    this.#newId = deps.newId ?? randomUUID;
  }

  /** Concrete aliases of the user's ~/.ssh/config. */
  async sshConfigHosts(): Promise<SshConfigHostView[]> {
    const text = await this.#deps.engine.sshConfigText();
    return text === undefined ? [] : sshConfigHosts(text);
  }

  /** Starts a check of the cluster's hosts (or `hostIds` of them); returns at once. */
  check(input: { clusterId: string; hostIds?: string[] | undefined }): { checkId: string } {
    const { store } = this.#deps;
    const cluster = store.clusters.get(input.clusterId);
    if (!cluster) throw new NotFoundError('cluster', input.clusterId);
    assertManaged(store, cluster, 'check its machines');
    if (this.#running.has(cluster.id)) {
      throw new ConflictError(
        `A check of cluster "${cluster.name}" is already running. Wait for its report, then check again.`,
      );
    }
    const rows = this.#selectHosts(cluster.id, input.hostIds);
    // Secrets are decrypted now, into memory only, and registered with the redactor.
    const specs = rows.map((row) => hostSpec(row, store.secrets, this.#deps.registerSecret));
    const checkId = this.#newId();
    const startedAt = this.#now();
    const publish = (event: OnboardingEvent) => this.#deps.events.publish(cluster.id, event);
    publish({
      type: 'check.started',
      checkId,
      clusterId: cluster.id,
      hostIds: rows.map((r) => r.id),
      at: startedAt,
    });
    this.#deps.logger.log('info', 'onboarding.check_started', {
      checkId,
      clusterId: cluster.id,
      hosts: rows.length,
    });
    const run = this.#run(specs, checkId, (event) => publish(event))
      .then((result) => {
        const report = clusterCheckView({
          checkId,
          clusterId: cluster.id,
          startedAt,
          finishedAt: this.#now(),
          hosts: rows.map(hostMeta),
          result,
        });
        this.#persist(report);
        publish({ type: 'check.finished', checkId, report });
        this.#deps.logger.log('info', 'onboarding.check_finished', {
          checkId,
          blocking: report.blocking,
          statuses: report.hosts.map((h) => h.status).join(','),
        });
      })
      .finally(() => this.#running.delete(cluster.id));
    this.#running.set(cluster.id, run);
    return { checkId };
  }

  /** The latest persisted report of a cluster, or null. */
  lastReport(clusterId: string): ClusterCheckView | null {
    if (!this.#deps.store.clusters.get(clusterId)) throw new NotFoundError('cluster', clusterId);
    return this.#latest(clusterId);
  }

  /** The feed of one cluster: latest report, the running check so far, then live events. */
  subscribe(clusterId: string, signal: AbortSignal, options?: SubscribeOptions) {
    if (!this.#deps.store.clusters.get(clusterId)) throw new NotFoundError('cluster', clusterId);
    return this.#deps.events.subscribe(clusterId, () => this.#latest(clusterId), signal, options);
  }

  /** Re-probes the host and trusts its key only if it still has `fingerprint`. */
  async trustHostKey(input: {
    hostId: string;
    fingerprint: string;
    replace?: boolean | undefined;
  }): Promise<{ hostId: string; fingerprint: string }> {
    const row = this.#host(input.hostId);
    const spec = hostSpec(row, this.#deps.store.secrets, this.#deps.registerSecret);
    const outcome = await trustLiveHostKey(
      { target: spec.target, fingerprint: input.fingerprint, replace: input.replace === true },
      {
        store: this.#deps.store.knownHostKeys,
        connect: this.#deps.engine.connectDeps(),
        options: {
          trust: await this.#trust(),
          ...(spec.secrets ? { secrets: spec.secrets } : {}),
          ...connectLimits(this.#deps.engine.checkOptions),
        },
        now: () => this.#deps.clock().getTime(),
      },
    );
    this.#deps.logger.log('info', 'onboarding.host_key_trusted', {
      hostId: row.id,
      fingerprint: input.fingerprint,
      outcome,
      replace: input.replace === true,
    });
    return { hostId: row.id, fingerprint: input.fingerprint };
  }

  /** Forgets the keys Nodeless trusted for a host (~/.ssh/known_hosts is left alone). */
  async forgetHostKey(input: { hostId: string }): Promise<{ hostId: string }> {
    const row = this.#host(input.hostId);
    const hops = resolveTarget(hostTarget(row), this.#deps.engine.connectDeps().resolveEnv);
    const last = hops[hops.length - 1];
    if (last) await this.#deps.store.knownHostKeys.remove(knownHostsName(last.hostName, last.port));
    this.#deps.logger.log('info', 'onboarding.host_key_forgotten', { hostId: row.id });
    return { hostId: row.id };
  }

  /** Waits (briefly) for running checks; later results are not recorded. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = Promise.allSettled([...this.#running.values()]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
  }

  /** Resolves when the cluster's running check (if any) has finished and been recorded. */
  async settled(clusterId: string): Promise<void> {
    await this.#running.get(clusterId);
  }

  async #run(
    specs: HostSpec[],
    checkId: string,
    publish: (event: OnboardingEvent) => void,
  ): Promise<CheckResult> {
    const { engine } = this.#deps;
    try {
      return await checkHosts(
        specs,
        {
          ...engine.checkOptions,
          capacityModel: CAPACITY_MODEL,
          connect: engine.connectDeps(),
          trust: await this.#trust(),
          now: () => this.#deps.clock().getTime(),
          logger: this.#engineLogger(checkId),
        },
        (e) =>
          publish({
            type: 'check.progress',
            checkId,
            hostId: e.host,
            step: e.step,
            state: e.state,
            current: e.current,
            max: e.max,
            description: e.description,
          }),
      );
    } catch (error) {
      // checkHosts isolates host failures; reaching here is a bug or an unreadable trust store.
      this.#deps.logger.log('error', 'onboarding.check_crashed', { checkId, error: String(error) });
      return crashedResult(specs, error);
    }
  }

  #persist(report: ClusterCheckView): void {
    if (this.#closed) return;
    try {
      this.#deps.store.hostChecks.insert({
        id: report.checkId,
        cluster_id: report.clusterId,
        started_at: report.startedAt,
        finished_at: report.finishedAt,
        report: JSON.stringify(report),
      });
    } catch (error) {
      // The cluster may have been deleted meanwhile: the report has nowhere to go.
      this.#deps.logger.log('warn', 'onboarding.report_not_saved', {
        checkId: report.checkId,
        error: String(error),
      });
    }
  }

  async #trust(): Promise<TrustSources> {
    return {
      store: this.#deps.store.knownHostKeys,
      knownHosts: await this.#deps.engine.userKnownHosts(),
    };
  }

  #engineLogger(checkId: string): EngineLogger {
    return {
      log: (level, message, fields) =>
        this.#deps.logger.log(level, 'onboarding.engine', { checkId, message, ...fields }),
    };
  }

  #selectHosts(clusterId: string, hostIds: string[] | undefined): HostRow[] {
    const all = this.#deps.store.hosts.listByCluster(clusterId);
    if (hostIds === undefined) {
      if (all.length === 0) {
        throw new InputError({ clusterId: 'this cluster has no hosts yet; add one first' });
      }
      return all;
    }
    const chosen: HostRow[] = [];
    hostIds.forEach((id, i) => {
      const row = all.find((h) => h.id === id);
      if (!row) throw new InputError({ [`hostIds.${i}`]: `no host "${id}" in this cluster` });
      if (!chosen.includes(row)) chosen.push(row);
    });
    if (chosen.length === 0) throw new InputError({ hostIds: 'name at least one host' });
    return chosen;
  }

  #host(id: string): HostRow {
    const row = this.#deps.store.hosts.get(id);
    if (!row) throw new NotFoundError('host', id);
    return row;
  }

  #latest(clusterId: string): ClusterCheckView | null {
    const row = this.#deps.store.hostChecks.latest(clusterId);
    return row ? (JSON.parse(row.report) as ClusterCheckView) : null;
  }

  #now(): string {
    return this.#deps.clock().toISOString();
  }
}

function hostMeta(row: HostRow): CheckedHostMeta {
  return { id: row.id, address: row.address, port: row.port, role: row.role };
}

/** Every host failed with the same unexpected error; no facts, no capacity. */
function crashedResult(specs: readonly HostSpec[], error: unknown): CheckResult {
  const message = `The check stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
  return {
    hosts: specs.map((s) => ({
      name: s.name,
      role: s.role,
      status: 'failed',
      failure: {
        step: CHECK_STEPS[0],
        kind: 'command',
        message,
        remedy: 'Run the check again; if it persists, report it with the backend log.',
      },
    })),
    cluster: { level: 'ok', verdicts: [] },
    capacity: { runtime: 'kata-clh', hosts: [], total: { cpuMilli: 0, memoryBytes: 0 }, pods: [] },
  };
}
