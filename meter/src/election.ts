/**
 * Leader election over a coordination.k8s.io/v1 Lease, with client-go's leaderelection
 * semantics, so two meter replicas never both write:
 * - a candidate GETs the Lease every `retryPeriod` (2 s); it takes the Lease only when it does not
 *   exist (create) or when its record has not changed for `leaseDuration` (15 s) of the
 *   candidate's OWN clock — client-go times expiry from when it observed the record change, not
 *   from `renewTime`, so clock skew between machines cannot shorten a lease;
 * - every write is an update carrying the resourceVersion it read: of two candidates racing for
 *   an expired Lease, the API server lets one win and answers the other 409;
 * - the leader renews every `retryPeriod`; when it has not renewed for `renewDeadline` (10 s) it
 *   has lost the Lease: {@link LeaderElector.isLeader} turns false AT ONCE (checked against the
 *   clock on every call, not only when the loop notices), so the recorder stops writing before
 *   another replica can take over (15 s after the last renew it observed);
 * - a graceful stop releases the Lease (holder cleared, duration 1 s), as ReleaseOnCancel does.
 *
 * @see https://github.com/kubernetes/client-go/blob/master/tools/leaderelection/leaderelection.go
 *   (tryAcquireOrRenew, renew, release; "observedTime")
 * @see https://kubernetes.io/docs/concepts/architecture/leases/#leader-election
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { isConflict, type ResourceRef } from '@nodeless/cluster-runtime';
import type { MeterClient, MeterLog, MeterTimers } from './client.ts';

/** A Lease as JSON has it (client-node's V1Lease types the MicroTimes as Date). */
export interface LeaseObject extends KubernetesObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export const LEASE: ResourceRef = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };

export interface ElectionConfig {
  namespace: string;
  leaseName: string;
  identity: string;
  /** Default 15 s (client-go's documented default). */
  leaseDurationMs?: number;
  /** Default 10 s. */
  renewDeadlineMs?: number;
  /** Default 2 s. */
  retryPeriodMs?: number;
}

export interface ElectionDeps {
  client: MeterClient;
  timers: MeterTimers;
  log: MeterLog;
  /** Called once each time this replica becomes the leader. */
  onStartedLeading: () => void;
  /** Called once each time it stops being the leader (lost or released). */
  onStoppedLeading: () => void;
}

export interface LeaderElector {
  start(): void;
  /** Stops the loop and releases the Lease when held. */
  stop(): Promise<void>;
  /** True only while the last successful renew is younger than the renew deadline. */
  isLeader(): boolean;
  /** When the last round (read, maybe write) finished: the loop is alive (liveness). */
  lastRoundMs(): number;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

export function createLeaderElector(config: ElectionConfig, deps: ElectionDeps): LeaderElector {
  const { client, timers, log } = deps;
  const leaseDurationMs = config.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = config.retryPeriodMs ?? 2_000;
  const leaseSeconds = Math.ceil(leaseDurationMs / 1000);
  let running = false;
  let timer: unknown;
  let leading = false;
  /** When this replica last wrote the Lease successfully as its holder. */
  let renewedAt = Number.NEGATIVE_INFINITY;
  /** The record last read (its spec, as JSON) and when it was first seen that way. */
  let observed = '';
  let observedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> = Promise.resolve();

  const isLeader = (): boolean => leading && timers.now() - renewedAt < renewDeadlineMs;

  const stopLeading = (why: string) => {
    if (!leading) return;
    leading = false;
    log('leader-lost', { identity: config.identity, why });
    deps.onStoppedLeading();
  };

  const body = (lease: LeaseObject | undefined, now: number): LeaseObject => {
    const spec = lease?.spec ?? {};
    const mine = spec.holderIdentity === config.identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: config.leaseName,
        namespace: config.namespace,
        ...(lease?.metadata?.resourceVersion
          ? { resourceVersion: lease.metadata.resourceVersion }
          : {}),
      },
      spec: {
        holderIdentity: config.identity,
        leaseDurationSeconds: leaseSeconds,
        // client-go keeps acquireTime and the transition count while the same holder renews.
        acquireTime: mine && spec.acquireTime ? spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (mine || !lease ? 0 : 1),
      },
    };
  };

  /** One round of client-go's tryAcquireOrRenew; true when this replica holds the Lease. */
  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = timers.now();
    const lease = await client.get<LeaseObject>(LEASE, config.leaseName, config.namespace);
    if (!lease) {
      await client.create(LEASE, body(undefined, now));
      renewedAt = now;
      return true;
    }
    const record = JSON.stringify(lease.spec ?? {});
    if (record !== observed) {
      observed = record;
      observedAt = now;
    }
    const holder = lease.spec?.holderIdentity ?? '';
    const duration = (lease.spec?.leaseDurationSeconds ?? leaseSeconds) * 1000;
    if (holder !== '' && holder !== config.identity && observedAt + duration > now) return false;
    const written = await client.replace(LEASE, body(lease, now));
    observed = JSON.stringify(written.spec ?? {});
    observedAt = now;
    renewedAt = now;
    return true;
  }

  let lastRound = timers.now();

  async function round(): Promise<void> {
    try {
      const held = await tryAcquireOrRenew();
      if (held && !leading) {
        leading = true;
        log('leader-acquired', { identity: config.identity });
        deps.onStartedLeading();
      } else if (!held) {
        stopLeading('another replica holds the lease');
      }
    } catch (e) {
      // 409: another replica wrote between our read and our write. Either way this round
      // failed; a leader keeps its status until the renew deadline passes.
      if (!isConflict(e))
        log('lease-error', { message: e instanceof Error ? e.message : String(e) });
    }
    if (leading && !isLeader()) stopLeading('renew deadline passed');
    lastRound = timers.now();
  }

  function schedule(): void {
    if (!running) return;
    timer = timers.setTimeout(() => {
      inFlight = round().finally(schedule);
    }, retryPeriodMs);
  }

  return {
    isLeader,
    lastRoundMs: () => lastRound,
    start() {
      if (running) return;
      running = true;
      inFlight = round().finally(schedule);
    },
    async stop() {
      running = false;
      timers.clearTimeout(timer);
      await inFlight;
      if (!isLeader()) {
        stopLeading('stopped');
        return;
      }
      leading = false;
      deps.onStoppedLeading();
      try {
        const lease = await client.get<LeaseObject>(LEASE, config.leaseName, config.namespace);
        if (lease?.spec?.holderIdentity !== config.identity) return;
        // ReleaseOnCancel: an empty holder and a 1 s duration let a successor take over now.
        await client.replace(LEASE, {
          ...lease,
          spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 },
        });
        log('leader-released', { identity: config.identity });
      } catch (e) {
        log('lease-error', { message: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}
