/**
 * Uninstalling the meter without leaving a pod or a namespace stuck (metering.md): the order is
 * what makes the metering finalizer safe.
 *
 * 1. the Deployment: its pods get SIGTERM and no meter is left to lead — the meter's leader is
 *    what creates the param that turns the finalizer on (meter/src/finalizer-switch.ts), so it
 *    goes first, before the param;
 * 2. a bounded wait (injected clock and sleep; default 60 s: a 15 s Lease plus the pods' 30 s
 *    grace period) until the meter's pods are gone and Lease `nodeless-meter` is released or
 *    expired: a standby replica still terminating could otherwise take the Lease its leader just
 *    released and create the param again. When the wait runs out (pods stuck Terminating on an
 *    unreachable node) the uninstall goes on — a meter that never leads again writes nothing —
 *    and says so (`meterStopped: false`);
 * 3. the param ConfigMap (`nodeless-meter`): the bindings' `parameterNotFoundAction: Allow` then
 *    adds no finalizer to new pods (nor a sandbox-start record to their status); the bindings and
 *    the policies (meter-admission.ts's meteringPolicy: the finalizer's and the sandbox-start
 *    record's) go right after — conditions already recorded stay on their pods, harmless;
 * 4. `nodeless.dev/metering` stripped from every pod that has it — listed in pages, each
 *    patched with the resourceVersion it was read at (a merge patch of the whole list, so a
 *    finalizer someone else added in between is not lost: the 409 makes us re-read), retried on
 *    409 — twice, a settle interval apart: the API server learns of the deleted param through an
 *    informer, so a pod admitted in that instant may still get the finalizer;
 * 5. the meter's fence (meterFencePolicy), the RBAC objects and the Lease; the ledger (chunks, totals, state, ack) only when asked,
 *    since it holds records the desktop may not have synced yet.
 *
 * A pod that was Terminating only because of our finalizer is then removed by the API server,
 * and a namespace deletion waiting for it completes.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply (resourceVersion in a patch is a precondition)
 */
import type { KubernetesObject, V1Lease, V1Pod } from '@kubernetes/client-node';
import { SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { isConflict, isNotFound, listPages, RESOURCES, type KubeClient } from '../client.ts';
import { labelSelectorText } from '../workloads/operate/history.ts';
import { LEDGER_LABEL } from './ledger-configmap.ts';
import { meterFencePolicy, meteringPolicy } from './meter-admission.ts';
import { METER_DEPLOYMENT_NAME, METER_SELECTOR } from './meter-install.ts';
import { METER_FINALIZER, METER_LEASE_NAME, METER_PARAM_NAME } from './meter-names.ts';
import { meterRbacList } from './meter-rbac.ts';
import { leaseState } from './meter-status.ts';

export interface UninstallMeterOptions {
  /** Also delete the ledger's ConfigMaps (records not yet synced are lost). Default false. */
  deleteLedger?: boolean;
  signal?: AbortSignal;
  /** Pause between the two finalizer passes; default 2 s (tests inject). */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Clock of the wait for the meter to stop (ms since the epoch; tests inject). */
  now?: () => number;
  /** How long to wait for the meter's pods to go and its Lease to lapse; default 60 s. */
  stopTimeoutMs?: number;
  /** How often the wait looks; default 1 s. */
  pollMs?: number;
  /** Pods per list page; default 500. */
  pageSize?: number;
}

export interface MeterUninstalled {
  /** `Kind namespace/name` of every object that existed and was deleted. */
  deleted: string[];
  /** Pods whose metering finalizer was removed. */
  finalizersRemoved: number;
  /** Ledger ConfigMaps deleted (0 unless `deleteLedger`). */
  ledgerObjects: number;
  /** The meter's pods were gone and its Lease lapsed before the param was deleted. */
  meterStopped: boolean;
}

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };
const MAX_CONFLICT_RETRIES = 10;

const describe = (o: KubernetesObject): string =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Removes our finalizer from one pod; true when this call removed it. */
export async function stripMeteringFinalizer(
  client: KubeClient,
  pod: V1Pod,
  signal?: AbortSignal,
): Promise<boolean> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace;
  let current: V1Pod | undefined = pod;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const finalizers = current?.metadata?.finalizers ?? [];
    if (!current || !finalizers.includes(METER_FINALIZER)) return false;
    try {
      await client.mergePatch(
        RESOURCES.pods,
        name,
        {
          metadata: {
            resourceVersion: current.metadata?.resourceVersion,
            finalizers: finalizers.filter((f) => f !== METER_FINALIZER),
          },
        },
        namespace,
        signal,
      );
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      if (!isConflict(e)) throw e;
      current = await client.get<V1Pod>(RESOURCES.pods, name, namespace, signal);
    }
  }
  throw new Error(
    `pod ${namespace}/${name}: the metering finalizer could not be removed after ${MAX_CONFLICT_RETRIES} conflicts`,
  );
}

/** One pass over every pod of the cluster, page by page; returns how many were stripped. */
export async function stripAllMeteringFinalizers(
  client: KubeClient,
  options: { signal?: AbortSignal; pageSize?: number } = {},
): Promise<number> {
  let removed = 0;
  for await (const page of listPages<V1Pod>(client, RESOURCES.pods, options)) {
    for (const pod of page.items) {
      if (await stripMeteringFinalizer(client, pod, options.signal)) removed++;
    }
  }
  return removed;
}

async function deleteAll(
  client: KubeClient,
  objects: readonly KubernetesObject[],
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const o of objects) {
    const type = { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '' };
    const gone = await client.delete(type, o.metadata?.name ?? '', o.metadata?.namespace, {
      ...(signal ? { signal } : {}),
    });
    if (gone) deleted.push(describe(o));
  }
  return deleted;
}

const ref = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  ({
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
  }) as KubernetesObject;

/**
 * Waits until no meter pod is left and no meter holds a live Lease (see step 2 of the module
 * comment); false when `timeoutMs` ran out first.
 */
export async function waitForMeterStopped(
  client: KubeClient,
  options: {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    timeoutMs: number;
    pollMs: number;
    signal?: AbortSignal;
  },
): Promise<boolean> {
  const { signal } = options;
  const labelSelector = labelSelectorText({ matchLabels: { ...METER_SELECTOR } });
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const pods = await client.list<V1Pod>(RESOURCES.pods, {
      namespace: SYSTEM_NAMESPACE,
      labelSelector,
      ...(signal ? { signal } : {}),
    });
    const lease = await client.get<V1Lease>(LEASE, METER_LEASE_NAME, SYSTEM_NAMESPACE, signal);
    if (pods.items.length === 0 && leaseState(lease, options.now()) !== 'running') return true;
    if (options.now() >= deadline) return false;
    await options.sleep(options.pollMs);
  }
}

/** Uninstalls the meter (see the module comment for the order and why). */
export async function uninstallMeter(
  client: KubeClient,
  options: UninstallMeterOptions = {},
): Promise<MeterUninstalled> {
  const { signal } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deleted = await deleteAll(
    client,
    [ref('apps/v1', 'Deployment', METER_DEPLOYMENT_NAME, SYSTEM_NAMESPACE)],
    signal,
  );
  const meterStopped = await waitForMeterStopped(client, {
    now: options.now ?? Date.now,
    sleep,
    timeoutMs: options.stopTimeoutMs ?? 60_000,
    pollMs: options.pollMs ?? 1_000,
    ...(signal ? { signal } : {}),
  });
  deleted.push(
    ...(await deleteAll(
      client,
      [
        ref('v1', 'ConfigMap', METER_PARAM_NAME, SYSTEM_NAMESPACE),
        // Both metering policies, bindings before policies: the reverse of install.
        ...meteringPolicy().reverse(),
      ],
      signal,
    )),
  );
  const pass = {
    ...(signal ? { signal } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  };
  let finalizersRemoved = await stripAllMeteringFinalizers(client, pass);
  await sleep(options.settleMs ?? 2_000);
  finalizersRemoved += await stripAllMeteringFinalizers(client, pass);
  deleted.push(
    ...(await deleteAll(
      client,
      [
        // The fence goes with the RBAC it narrows, binding first: the meter is stopped by now.
        ...meterFencePolicy().reverse(),
        ...meterRbacList().reverse(),
        ref(LEASE.apiVersion, LEASE.kind, METER_LEASE_NAME, SYSTEM_NAMESPACE),
      ],
      signal,
    )),
  );
  let ledgerObjects = 0;
  if (options.deleteLedger) {
    const { items } = await client.list(RESOURCES.configMaps, {
      namespace: SYSTEM_NAMESPACE,
      labelSelector: LEDGER_LABEL,
      ...(signal ? { signal } : {}),
    });
    ledgerObjects = (await deleteAll(client, items, signal)).length;
  }
  return { deleted, finalizersRemoved, ledgerObjects, meterStopped };
}
