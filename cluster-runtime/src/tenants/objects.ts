/**
 * The objects that make a namespace a tenant: the Namespace (labelled `nodeless.dev/tenant`),
 * a ResourceQuota in specs ("at most 16 vCPU and 32 GiB of pods, 50 pods") and the access grant
 * of ../day2/tenant-rbac.ts (ServiceAccount, Role, RoleBinding).
 *
 * No LimitRange: the serverless policies size every pod at POD level (`spec.resources`,
 * requests = limits = a spec from common's table), and the LimitRanger admission plugin runs
 * before them and only knows containers. A LimitRange default would write container
 * requests/limits into every pod first, and the sizing policy would then size the pod from
 * those defaults instead of from the namespace's default size (the `nodeless.dev/default-size`
 * annotation does that job); a LimitRange max/min on containers would judge containers that the
 * pod-level size overrides. Pods always carry requests and limits after the policies, which is
 * all a cpu/memory ResourceQuota needs, so a LimitRange adds nothing but a second, wrong sizer.
 *
 * The quota counts the pod-level resources (the quota evaluator uses pod-level resources when
 * set) plus the sandbox's RuntimeClass overhead (PodOverhead is charged to quota), so a 16 vCPU
 * quota holds fewer than 16 one-vCPU pods.
 *
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/assign-pod-level-resources/
 */
import type { V1Namespace, V1ResourceQuota } from '@kubernetes/client-node';
import { GIB, MIB } from '@nodeless/common';
import { MANAGED_BY } from '../baseline/objects.ts';
import { TenantInputError } from './names.ts';

/** The label that marks a namespace as a tenant's; its value is the tenant (its home namespace). */
export const TENANT_LABEL = 'nodeless.dev/tenant';
/** Name of the tenant's ResourceQuota and of its ServiceAccount. */
export const TENANT_QUOTA = 'nodeless-tenant';
export const TENANT_SERVICE_ACCOUNT = 'nodeless-tenant';

/** What a tenant's pods may take in total, in integers. */
export interface TenantQuota {
  cpuMilli: number;
  memoryBytes: number;
}

export interface TenantLimits {
  quota?: TenantQuota | undefined;
  /** At most this many pods (not terminated). */
  pods?: number | undefined;
}

/** `16` for 16000, `500m` for 500: the shortest exact quantity of millicores. */
export function cpuQuantity(cpuMilli: number): string {
  return cpuMilli % 1000 === 0 ? String(cpuMilli / 1000) : `${cpuMilli}m`;
}

/** `32Gi`, `512Mi` or plain bytes: the shortest exact binary quantity. */
export function memoryQuantity(bytes: number): string {
  if (bytes % GIB === 0) return `${bytes / GIB}Gi`;
  if (bytes % MIB === 0) return `${bytes / MIB}Mi`;
  return String(bytes);
}

function positiveInteger(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TenantInputError(field, `must be a positive whole number (got ${value})`);
  }
}

/** Throws a {@link TenantInputError} naming the field for a quota that is not positive integers. */
export function validateLimits(limits: TenantLimits): void {
  positiveInteger('quota.cpuMilli', limits.quota?.cpuMilli);
  positiveInteger('quota.memoryBytes', limits.quota?.memoryBytes);
  positiveInteger('pods', limits.pods);
}

/** A namespace of tenant `tenant` (its home namespace when both names are the same). */
export function tenantNamespaceObject(namespace: string, tenant = namespace): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, labels: { ...MANAGED_BY, [TENANT_LABEL]: tenant } },
  };
}

/**
 * The ResourceQuota, or undefined when there is no limit. cpu and memory are capped both as
 * requests and as limits: the policies make them equal, and a quota on both means a pod that
 * somehow escaped sizing (no requests or no limits) is refused rather than uncounted.
 */
export function tenantQuotaObject(
  namespace: string,
  limits: TenantLimits,
): V1ResourceQuota | undefined {
  const hard: Record<string, string> = {};
  if (limits.quota) {
    const cpu = cpuQuantity(limits.quota.cpuMilli);
    const memory = memoryQuantity(limits.quota.memoryBytes);
    Object.assign(hard, {
      'requests.cpu': cpu,
      'limits.cpu': cpu,
      'requests.memory': memory,
      'limits.memory': memory,
    });
  }
  if (limits.pods !== undefined) hard['pods'] = String(limits.pods);
  if (Object.keys(hard).length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: TENANT_QUOTA, namespace, labels: { ...MANAGED_BY } },
    spec: { hard },
  };
}
