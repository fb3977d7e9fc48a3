/**
 * The objects an earlier deploy of the app made that the form no longer produces (the Service
 * once "Expose" is No): found on the cluster by common's rule (the app's name, field manager
 * `nodeless` in `managedFields`, a selector of exactly the app's pods — no marker of our own),
 * listed before the deploy (the preview's "Service web will be deleted"), and deleted after the
 * rest is applied, each with a precondition on the uid that was judged, so an object someone
 * re-created meanwhile is not taken with it.
 *
 * @see ../../../../common/src/deploy/leftovers.ts — the rule
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/delete-options/#DeleteOptions (preconditions)
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  deployLeftoverCandidates,
  isDeployLeftover,
  type DeployForm,
  type DeployLeftoverKind,
} from '@nodeless/common';
import {
  FIELD_MANAGER,
  isConflict,
  RESOURCES,
  type KubeClient,
  type ResourceRef,
} from '@nodeless/cluster-runtime';
import type { DeployedObject } from './types.ts';

/** A leftover as judged: the incarnation (uid) that may be deleted. */
export interface Leftover extends DeployedObject {
  kind: DeployLeftoverKind;
  namespace: string;
  uid: string;
}

const REFS: Record<DeployLeftoverKind, ResourceRef> = {
  Deployment: RESOURCES.deployments,
  Service: RESOURCES.services,
};

/** The leftovers of `form`'s app in its (existing) namespace. */
export async function findLeftovers(
  client: Pick<KubeClient, 'get'>,
  form: DeployForm,
  signal?: AbortSignal,
): Promise<Leftover[]> {
  const out: Leftover[] = [];
  for (const c of deployLeftoverCandidates(form)) {
    const live = await client.get<KubernetesObject & { spec?: unknown }>(
      REFS[c.kind],
      c.name,
      c.namespace,
      signal,
    );
    const uid = live?.metadata?.uid;
    if (live && uid && isDeployLeftover(c.kind, live, form.name, FIELD_MANAGER))
      out.push({ ...c, uid });
  }
  return out;
}

/** The API's name of a leftover, as the answer lists objects. */
export const leftoverRef = (l: Leftover): DeployedObject => ({
  kind: l.kind,
  name: l.name,
  namespace: l.namespace,
});

/**
 * Deletes the leftovers, each only as the incarnation judged (uid precondition). One already gone,
 * or replaced since (the precondition's 409), is not ours to delete and is not listed; any other
 * refusal (RBAC) is thrown for the caller to place.
 */
export async function deleteLeftovers(
  client: Pick<KubeClient, 'delete'>,
  leftovers: readonly Leftover[],
  signal?: AbortSignal,
): Promise<DeployedObject[]> {
  const deleted: DeployedObject[] = [];
  for (const l of leftovers) {
    try {
      if (await client.delete(REFS[l.kind], l.name, l.namespace, { uid: l.uid, signal }))
        deleted.push(leftoverRef(l));
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
  return deleted;
}
