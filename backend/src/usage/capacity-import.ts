/**
 * The meter's pool capacity per hour, imported at sync (issue 15 "Idle = pool capacity − billed
 * specs, per hour"): the backend samples the pool only while it runs with the cluster open
 * (./background.ts), so hours the app was closed had no capacity and idle left them out. The
 * meter samples the same thing (cluster-runtime's poolCapacity) while it leads and keeps the last
 * 35 days in its capacity ConfigMap; this reads it and merges its hours into `usage_capacity`.
 *
 * Merge rule, per hour: the app's own row stays unless the meter's has more samples, and then the
 * meter's replaces it (never a sum). Both sources sample the same pool with the same function, so
 * neither is more right per sample; the one with more samples saw more of the hour (the app was
 * open for part of it, or the meter lost its lead part-way), so its mean is the closer one. Adding
 * the two would count the minutes both sampled twice and make every sync change the hour again;
 * with "more samples wins" a second import of the same ConfigMap changes nothing.
 *
 * A cluster whose meter predates the capacity ConfigMap has none (404): nothing is imported.
 *
 * @see ../../../cluster-runtime/src/metering/capacity.ts
 * @see ../store/usage-capacity.ts — merge
 */
import {
  capacityHoursFromConfigMap,
  LEDGER_NAMESPACE,
  METER_CAPACITY_NAME,
  RESOURCES,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { UsageCapacityTable } from '../store/usage-capacity.ts';

export interface CapacityImport {
  /** Hours in the meter's ConfigMap. */
  read: number;
  /** Hours written into `usage_capacity` (new, or with more samples than the app's). */
  merged: number;
}

/** Reads the meter's capacity ConfigMap and merges its hours (throws on an unreadable one). */
export async function importCapacity(
  client: Pick<KubeClient, 'get'>,
  clusterId: string,
  capacity: Pick<UsageCapacityTable, 'merge'>,
  signal?: AbortSignal,
): Promise<CapacityImport> {
  const cm = await client.get<V1ConfigMap>(
    RESOURCES.configMaps,
    METER_CAPACITY_NAME,
    LEDGER_NAMESPACE,
    signal,
  );
  const hours = capacityHoursFromConfigMap(cm);
  return { read: hours.length, merged: hours.length ? capacity.merge(clusterId, hours) : 0 };
}
