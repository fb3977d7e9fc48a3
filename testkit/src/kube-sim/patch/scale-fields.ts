/**
 * Field ownership of a write through the `scale` subresource, as upstream's ScaleHandler records
 * it on the parent: the caller becomes an Update manager of `spec.replicas` with subresource
 * `scale` and the parent's apiVersion (and, since the handler carries the parent's times over,
 * no `time` for a manager new to the object); every other manager loses `spec.replicas`, and an
 * entry left with no field goes. A scale that leaves the count as it was changes nothing.
 *
 * That entry is what makes a later server-side apply of `spec.replicas` by anyone else conflict
 * (`conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas`), as the
 * real kube-apiserver answers after `kubectl scale`.
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/fieldmanager/scalehandler.go (ToParent)
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
 */
import { isObject } from './strategic.ts';
import { fromFieldsV1, toFieldsV1, type ManagedFieldsEntry } from './ssa.ts';

const REPLICAS = ['f:spec', 'f:replicas'];
const SEP = '\u0000';
const REPLICAS_KEY = REPLICAS.join(SEP);

/** Whether `e` is the entry `manager` writes through the scale subresource. */
const isScaleEntry = (e: ManagedFieldsEntry, manager: string): boolean =>
  e.manager === manager && e.operation === 'Update' && e.subresource === 'scale';

/**
 * The parent's managedFields after `manager` scaled it from `oldReplicas` to `newReplicas`.
 * `apiVersion` is the parent's group version the request came in through (`apps/v1`).
 */
export function scaleManagedFields(
  entries: readonly ManagedFieldsEntry[],
  manager: string,
  apiVersion: string,
  oldReplicas: number,
  newReplicas: number,
): ManagedFieldsEntry[] {
  const valid = entries.filter((e) => isObject(e.fieldsV1));
  if (oldReplicas === newReplicas) return [...valid];
  const out: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of valid) {
    if (isScaleEntry(e, manager)) {
      mine = e;
      continue;
    }
    const paths = fromFieldsV1(e.fieldsV1);
    if (!paths.some((p) => p.join(SEP) === REPLICAS_KEY)) {
      out.push(e);
      continue;
    }
    const kept = paths.filter((p) => p.join(SEP) !== REPLICAS_KEY);
    if (kept.length > 0) out.push({ ...e, fieldsV1: toFieldsV1(kept) });
  }
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Update',
    apiVersion,
    // Upstream carries over the time the manager's entry had on the parent: none when new.
    ...(mine?.time === undefined ? {} : { time: mine.time }),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1([REPLICAS]),
    subresource: 'scale',
  };
  out.push(entry);
  return out;
}
