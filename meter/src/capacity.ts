/**
 * The pool's capacity per hour, sampled in the cluster (issue 15 "Idle = pool capacity − billed
 * specs, per hour"): the desktop samples it only while it runs with the cluster open, so the
 * leader samples it too — nodes listed every {@link CAPACITY_INTERVAL_MS}, folded into the hour's
 * sums with cluster-runtime's poolCapacity (the desktop's own function) and written to the
 * capacity ConfigMap, which keeps the last 35 days. The desktop imports those hours at sync.
 *
 * Only the leader writes (a second replica would double the samples); a write carries the
 * resourceVersion it read, so a replica that still believes it leads cannot overwrite the
 * leader's — the API server answers 409 and that sample is taken again from a fresh read. A
 * failed round (API down, 403 from an install whose RBAC predates nodes list) loses that
 * sample only: the hour's mean is over the samples it has.
 *
 * @see ../../cluster-runtime/src/metering/capacity.ts
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */
import type { V1ConfigMap, V1Node } from '@kubernetes/client-node';
import {
  addCapacitySample,
  capacityConfigMap,
  capacityHourOf,
  capacityHoursFromConfigMap,
  CapacityFormatError,
  isConflict,
  METER_CAPACITY_NAME,
  nodeRow,
  poolCapacity,
  RESOURCES,
  type CapacityHour,
} from '@nodeless/cluster-runtime';
import type { MeterClient, MeterLog, MeterTimers } from './client.ts';
import { periodic } from './periodic.ts';

/** Five minutes: 12 samples an hour, a node list and one ConfigMap write each. */
export const CAPACITY_INTERVAL_MS = 300_000;
const MAX_ATTEMPTS = 3;

export interface CapacitySamplerDeps {
  client: MeterClient;
  timers: MeterTimers;
  log: MeterLog;
  namespace: string;
  isLeader: () => boolean;
  intervalMs?: number;
}

export interface CapacitySampler {
  start(): void;
  stop(): void;
  /** One sample now if leading (exported for tests): whether it was written. */
  sampleOnce(): Promise<boolean>;
}

export function createCapacitySampler(deps: CapacitySamplerDeps): CapacitySampler {
  const { client, timers, log, namespace } = deps;
  const CM = RESOURCES.configMaps;
  let inFlight: Promise<boolean> | undefined;

  async function write(): Promise<boolean> {
    const nodes = (await client.list<V1Node>(RESOURCES.nodes)).items;
    const amount = poolCapacity(nodes.map(nodeRow));
    const hour = capacityHourOf(timers.now());
    for (let attempt = 1; ; attempt++) {
      if (!deps.isLeader()) return false;
      const old = await client.get<V1ConfigMap>(CM, METER_CAPACITY_NAME, namespace);
      let hours: CapacityHour[];
      try {
        hours = capacityHoursFromConfigMap(old);
      } catch (e) {
        // Edited by hand into something unreadable: start over rather than stop sampling.
        if (!(e instanceof CapacityFormatError)) throw e;
        log('capacity-unreadable', { message: e.message });
        hours = [];
      }
      const cm = capacityConfigMap(addCapacitySample(hours, hour, amount), namespace);
      const rv = old?.metadata?.resourceVersion;
      try {
        if (!deps.isLeader()) return false;
        if (rv === undefined) await client.create(CM, cm);
        else await client.replace(CM, { ...cm, metadata: { ...cm.metadata, resourceVersion: rv } });
        return true;
      } catch (e) {
        if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }

  function sampleOnce(): Promise<boolean> {
    if (!deps.isLeader()) return Promise.resolve(false);
    // One at a time: the leadership kick and the timer may meet.
    inFlight ??= write()
      .catch((e: unknown) => {
        log('capacity-error', { message: e instanceof Error ? e.message : String(e) });
        return false;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return { sampleOnce, ...periodic(sampleOnce, deps.intervalMs ?? CAPACITY_INTERVAL_MS, timers) };
}
