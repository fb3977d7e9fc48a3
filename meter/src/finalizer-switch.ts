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
 * if it exists with another version, an update carrying the resourceVersion it read (a 409 means
 * someone wrote in between: read again). Uninstall deletes the Deployment first and waits for
 * the Lease to be released or to expire before deleting this param, so no meter re-creates it.
 *
 * @see ../../cluster-runtime/src/metering/meter-admission.ts (the policy, its binding, the param)
 * @see https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/#parameter-resources
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  isConflict,
  isNotFound,
  METER_PARAM_VERSION_KEY,
  METER_VERSION,
  meterSwitch,
  RESOURCES,
} from '@nodeless/cluster-runtime';
import type { MeterClient } from './client.ts';

/** What {@link ensureFinalizerSwitch} did. */
export type SwitchOutcome = 'created' | 'updated' | 'unchanged' | 'not-leader';

const ATTEMPTS = 5;

/**
 * Makes the param exist with this meter's version (default the version it was built with).
 * Throws what the API server answers beyond AlreadyExists/Conflict/NotFound races.
 */
export async function ensureFinalizerSwitch(
  client: MeterClient,
  canWrite: () => boolean,
  version: string = METER_VERSION,
): Promise<SwitchOutcome> {
  const want = meterSwitch({ version });
  const name = want.metadata?.name ?? '';
  const namespace = want.metadata?.namespace;
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
    if (live.data?.[METER_PARAM_VERSION_KEY] === version) return 'unchanged';
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
