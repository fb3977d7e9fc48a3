/**
 * Deployment (apps/v1): identity and the Workloads row — kubectl's READY (`ready/desired`),
 * UP-TO-DATE and AVAILABLE, plus whether a rollout is still in progress.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printDeployment)
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { conditionStatus, kindIdentity, rowBase, templateImages, type RowBase } from './kind.ts';

export const DEPLOYMENT = kindIdentity('apps', 'v1', 'Deployment', 'deployments', true);

export interface DeploymentRow extends RowBase {
  namespace: string;
  /** spec.replicas (the API defaults it to 1). */
  desired: number;
  ready: number;
  /** Pods of the current template (UP-TO-DATE). */
  updated: number;
  available: number;
  paused: boolean;
  /**
   * True while the controller has not yet observed the latest spec or not all replicas are
   * updated and available — what `kubectl rollout status` waits for.
   */
  rollingOut: boolean;
  /** The Available condition is False (fewer than minimum available pods). */
  unavailable: boolean;
  images: string[];
}

export function deploymentRow(d: V1Deployment): DeploymentRow {
  const base = rowBase(d);
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const observed = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  return {
    ...base,
    namespace: base.namespace ?? '',
    desired,
    ready: s.readyReplicas ?? 0,
    updated,
    available,
    paused: d.spec?.paused === true,
    rollingOut:
      !observed || updated < desired || (s.replicas ?? 0) > updated || available < updated,
    unavailable: conditionStatus(s.conditions, 'Available') === 'False',
    images: templateImages(d.spec?.template?.spec),
  };
}
