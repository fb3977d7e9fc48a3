/**
 * What a workload's pod template says about its pods: their billable size, their sandbox
 * (RuntimeClass) and images. Shared by every kind's projection.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates
 */
import type { KubernetesObject, V1PodTemplateSpec } from '@kubernetes/client-node';
import { rowBase, templateImages } from '../../kinds/kind.ts';
import { templateSize } from '../../kinds/template-size.ts';
import type { WorkloadIdentity, WorkloadRow } from './types.ts';

export type TemplateFacts = Pick<WorkloadRow, 'size' | 'sandbox' | 'images'>;

export function templateFacts(template: V1PodTemplateSpec | undefined): TemplateFacts {
  const size = templateSize(template?.spec, template?.metadata?.labels);
  const sandbox = template?.spec?.runtimeClassName;
  return {
    ...(size === undefined ? {} : { size }),
    ...(sandbox ? { sandbox } : {}),
    images: templateImages(template?.spec),
  };
}

export function identity(o: KubernetesObject): WorkloadIdentity {
  const base = rowBase(o);
  return {
    uid: base.uid,
    namespace: base.namespace ?? '',
    name: base.name,
    ...(base.createdAt === undefined ? {} : { createdAt: base.createdAt }),
  };
}

/** The condition of `type` that has status True, if any. */
export function trueCondition<C extends { type: string; status: string }>(
  conditions: readonly C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((c) => c.type === type && c.status === 'True');
}

/** `Failed: BackoffLimitExceeded — Job has reached the specified backoff limit`. */
export function failedWords(reason: string | undefined, message: string | undefined): string {
  const head = reason ? `Failed: ${reason}` : 'Failed';
  return message ? `${head} — ${message}` : head;
}
