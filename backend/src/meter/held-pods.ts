/**
 * Pods the metering finalizer holds while no meter exists to release them (issue 15).
 *
 * Tenant pods get `nodeless.dev/metering` at admission while the switch (ConfigMap
 * `nodeless-system/nodeless-meter`, owned by the meter's Deployment) exists, and only the meter
 * removes it. `kubectl delete deploy nodeless-meter` garbage-collects the switch, so no new pod
 * gets the finalizer, but pods admitted before keep it: a deleted one stays Terminating for ever.
 * The release is the rest of the uninstall (`meter.uninstall`, cluster-runtime's uninstallMeter,
 * which strips the finalizer from every pod) or a meter again (it records them, then removes it).
 *
 * Counted only when the meter's Deployment does not exist, not when it has had no available
 * replica for a while: a Deployment's controller brings its pods back, and the meter that leads
 * again records and releases what it holds (the status already says "stale"/"absent" with its
 * remedy); releasing pods then would race a meter turning the switch back on — the uninstall
 * deletes the Deployment first for that very reason. Without a Deployment nothing will ever
 * release them, so that is when the count is worth a cluster-wide list.
 *
 * The finalizer cannot be field-selected (pods support only a few field selectors), so this is
 * one list of all pods across namespaces, paged with `limit`/`continue` and bounded by a page
 * budget: past it the counts are lower bounds (`complete: false`), never a silent zero.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/#list-of-supported-fields
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 * @see ../../../cluster-runtime/src/metering/meter-uninstall.ts
 */
import type { V1Pod } from '@kubernetes/client-node';
import { listPages, METER_FINALIZER, RESOURCES, type KubeClient } from '@nodeless/cluster-runtime';
import type { MeterHeldPods } from './types.ts';

export interface HeldPodsOptions {
  signal?: AbortSignal;
  /** Pods per list page; default 500 (the uninstall's page size). */
  pageSize?: number;
  /** Pages read at most; default 40 (20,000 pods at the default size). */
  maxPages?: number;
}

/** Counts pods carrying the metering finalizer, and those of them being deleted. */
export async function countHeldPods(
  client: KubeClient,
  options: HeldPodsOptions = {},
): Promise<MeterHeldPods> {
  const { maxPages = 40, ...list } = options;
  let withFinalizer = 0;
  let terminating = 0;
  let pages = 0;
  let complete = true;
  for await (const page of listPages<V1Pod>(client, RESOURCES.pods, list)) {
    for (const pod of page.items) {
      if (!pod.metadata?.finalizers?.includes(METER_FINALIZER)) continue;
      withFinalizer++;
      if (pod.metadata.deletionTimestamp) terminating++;
    }
    if (++pages >= maxPages && page.continue) {
      complete = false;
      break;
    }
  }
  return { withFinalizer, terminating, complete };
}
