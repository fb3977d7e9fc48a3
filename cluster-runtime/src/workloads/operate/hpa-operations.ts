/**
 * Creating, editing and deleting a workload's HorizontalPodAutoscaler. Written with server-side
 * apply (field manager `nodeless`), so the HPA is a plain autoscaling/v2 object: `kubectl get
 * hpa -o yaml` reads back exactly the model's fields, and fields another manager set (a
 * `kubectl edit` of the scale-up behaviour, say) are left alone. Forced: the form is the user's
 * latest word on the fields it shows.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/autoscale/autoscale.go
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { RESOURCES, type KubeClient } from '../../client.ts';
import {
  hpaObject,
  hpaState,
  validateHpaModel,
  type HpaModel,
  type HpaModelErrors,
  type HpaState,
} from './hpa-model.ts';

/** The model has field errors (keys are the model's fields). */
export class HpaInputError extends Error {
  override readonly name = 'HpaInputError';
  constructor(readonly errors: HpaModelErrors) {
    super(
      Object.entries(errors)
        .map(([field, problem]) => `${field}: ${problem}`)
        .join('; '),
    );
  }
}

/** The HPA that scales this workload (kubectl allows several; the oldest wins, as listed). */
export async function findHpa(
  client: KubeClient,
  target: { kind: string; namespace: string; name: string },
  signal?: AbortSignal,
): Promise<V2HorizontalPodAutoscaler | undefined> {
  const { items } = await client.list<V2HorizontalPodAutoscaler>(
    RESOURCES.horizontalPodAutoscalers,
    { namespace: target.namespace, ...(signal ? { signal } : {}) },
  );
  return items
    .filter(
      (h) =>
        h.spec?.scaleTargetRef.kind === target.kind && h.spec.scaleTargetRef.name === target.name,
    )
    .sort((a, b) =>
      String(a.metadata?.creationTimestamp ?? '').localeCompare(
        String(b.metadata?.creationTimestamp ?? ''),
      ),
    )[0];
}

/** Validates, applies and answers the HPA's state as the API server returned it. */
export async function applyHpa(
  client: KubeClient,
  model: HpaModel,
  signal?: AbortSignal,
): Promise<HpaState> {
  const errors = validateHpaModel(model);
  if (Object.keys(errors).length > 0) throw new HpaInputError(errors);
  const applied = await client.apply(hpaObject(model), {
    force: true,
    ...(signal ? { signal } : {}),
  });
  return hpaState(applied);
}

/** Deletes the HPA; false when it was already gone. The workload keeps its replicas. */
export function deleteHpa(
  client: KubeClient,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<boolean> {
  return client.delete(RESOURCES.horizontalPodAutoscalers, name, namespace, {
    ...(signal ? { signal } : {}),
  });
}
