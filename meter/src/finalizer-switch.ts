/**
 * The meter turns its own finalizer on (issue 15): each time a replica becomes the leader it
 * makes sure the param ConfigMap `nodeless-system/nodeless-meter` exists (cluster-runtime's
 * `meterSwitch`, one definition), which is what makes the MutatingAdmissionPolicy add
 * `nodeless.dev/metering` to new tenant pods (the binding's `parameterNotFoundAction: Allow`:
 * no param, no finalizer).
 *
 * Why the meter and not the install:
 * - the finalizer is only ever on once a meter has actually run — and so can remove it: a
 *   finalizer with no meter would hold every deleted tenant pod (and its namespace) for ever;
 * - the install does not wait for a meter (no Lease wait in the baseline or the API): where the
 *   image is missing the install still finishes, and says what the status says;
 * - an install whose image was loaded later turns the finalizer on by itself, when the meter
 *   first leads — nobody has to re-run anything.
 *
 * Only the leader writes (`canWrite` is asked before each write): create; AlreadyExists is fine;
 * if it exists with another version (or owner), an update carrying the resourceVersion it read (a
 * 409 means someone wrote in between: read again). Uninstall deletes the Deployment first and
 * waits for the Lease to be released or to expire before deleting this param, so no meter
 * re-creates it.
 *
 * The param is owned by the meter's Deployment when there is one (an ownerReference, without
 * blockOwnerDeletion, which would need update on deployments/finalizers): `kubectl delete deploy
 * nodeless-meter` then garbage-collects the switch too, instead of leaving a finalizer no meter
 * removes on every deleted tenant pod. Reading the Deployment is the only extra permission (get,
 * on that one name, in its own namespace). Where the meter runs as a process (test substrates)
 * there is no Deployment, and no owner.
 *
 * @see ../../cluster-runtime/src/metering/meter-admission.ts (the policy, its binding, the param)
 * @see https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/#parameter-resources
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 * @see https://kubernetes.io/docs/concepts/architecture/garbage-collection/#owners-dependents
 */
import type { V1ConfigMap, V1Deployment, V1OwnerReference } from '@kubernetes/client-node';
import {
  isConflict,
  isNotFound,
  METER_DEPLOYMENT_NAME,
  METER_PARAM_VERSION_KEY,
  METER_VERSION,
  meterSwitch,
  RESOURCES,
} from '@nodeless/cluster-runtime';
import type { MeterClient } from './client.ts';

/** What {@link ensureFinalizerSwitch} did. */
export type SwitchOutcome = 'created' | 'updated' | 'unchanged' | 'not-leader';

const ATTEMPTS = 5;

/** The meter's Deployment as the param's owner, or undefined where there is none. */
async function deploymentOwner(
  client: MeterClient,
  namespace: string | undefined,
): Promise<V1OwnerReference | undefined> {
  const d = await client.get<V1Deployment>(RESOURCES.deployments, METER_DEPLOYMENT_NAME, namespace);
  const uid = d?.metadata?.uid;
  if (!uid) return undefined;
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: METER_DEPLOYMENT_NAME, uid };
}

const ownerUid = (cm: V1ConfigMap | undefined): string | undefined =>
  cm?.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment')?.uid;

/**
 * Makes the param exist with this meter's version (default the version it was built with).
 * Throws what the API server answers beyond AlreadyExists/Conflict/NotFound races.
 */
export async function ensureFinalizerSwitch(
  client: MeterClient,
  canWrite: () => boolean,
  version: string = METER_VERSION,
): Promise<SwitchOutcome> {
  const base = meterSwitch({ version });
  const name = base.metadata?.name ?? '';
  const namespace = base.metadata?.namespace;
  const owner = await deploymentOwner(client, namespace);
  const want: V1ConfigMap = owner
    ? { ...base, metadata: { ...base.metadata, ownerReferences: [owner] } }
    : base;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (!canWrite()) return 'not-leader';
    try {
      await client.create(RESOURCES.configMaps, want);
      return 'created';
    } catch (e) {
      // 409 AlreadyExists: the usual case after the first leader; look at its version.
      if (!isConflict(e)) throw e;
    }
    const live = await client.get<V1ConfigMap>(RESOURCES.configMaps, name, namespace);
    if (!live) continue; // deleted between our create and our read: create again
    if (live.data?.[METER_PARAM_VERSION_KEY] === version && ownerUid(live) === owner?.uid)
      return 'unchanged';
    if (!canWrite()) return 'not-leader';
    try {
      await client.replace(RESOURCES.configMaps, {
        ...want,
        metadata: { ...want.metadata, resourceVersion: live.metadata?.resourceVersion },
      });
      return 'updated';
    } catch (e) {
      // Written or deleted since we read it: read (or create) again.
      if (!isConflict(e) && !isNotFound(e)) throw e;
    }
  }
  throw new Error(
    `ConfigMap ${namespace}/${name} kept changing under the meter (${ATTEMPTS} attempts)`,
  );
}
