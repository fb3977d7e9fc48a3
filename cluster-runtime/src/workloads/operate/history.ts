/**
 * A Deployment's rollout history as `kubectl rollout history` reads it: the ReplicaSets the
 * Deployment controls (controller ownerReference with its uid, among those its selector
 * matches), each revision from the annotation `deployment.kubernetes.io/revision`, the
 * change-cause from `kubernetes.io/change-cause`, ordered by revision number (a number, not a
 * string: revision 10 comes after 9).
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/history.go (DeploymentHistoryViewer)
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/util/deployment/deployment.go (GetAllReplicaSets, Revision)
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#checking-rollout-history-of-a-deployment
 */
import type {
  V1Deployment,
  V1LabelSelector,
  V1PodTemplateSpec,
  V1ReplicaSet,
} from '@kubernetes/client-node';
import { templateImages, timeOf } from '../../kinds/kind.ts';

/** The revision number the deployment controller writes on the Deployment and its ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Earlier revisions a reused ReplicaSet stood for (the controller's comma-separated list). */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** What `kubectl annotate … kubernetes.io/change-cause=…` (formerly `--record`) writes. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** The label the deployment controller adds to each ReplicaSet's template and selector. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export interface Revision {
  revision: number;
  /** The ReplicaSet that holds this revision's pod template. */
  replicaSet: string;
  /** `kubernetes.io/change-cause`, when someone recorded one. */
  changeCause?: string;
  images: string[];
  /** ms since the epoch. */
  createdAt?: number;
  /** Pods of this revision now (the ReplicaSet's spec.replicas). */
  replicas: number;
  /** True for the revision the Deployment runs now (the highest). */
  current: boolean;
}

/** A revision number as the controller wrote it; undefined when absent or not a number. */
export function revisionOf(o: { metadata?: { annotations?: Record<string, string> } }) {
  const text = o.metadata?.annotations?.[REVISION_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** A label selector in the query syntax (`app=web,tier in (a,b),!canary`). */
export function labelSelectorText(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The ReplicaSets whose controller is this Deployment (by uid, as kubectl's GetAllReplicaSets). */
export function ownedReplicaSets(
  deployment: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
): V1ReplicaSet[] {
  const uid = deployment.metadata?.uid;
  return replicaSets.filter((rs) =>
    rs.metadata?.ownerReferences?.some(
      (r) => r.controller === true && r.kind === 'Deployment' && r.uid === uid,
    ),
  );
}

/** The history, oldest revision first; ReplicaSets without a revision are left out (as kubectl). */
export function deploymentHistory(
  deployment: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
): Revision[] {
  const revisions: Revision[] = [];
  for (const rs of ownedReplicaSets(deployment, replicaSets)) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    const changeCause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const createdAt = timeOf(rs.metadata?.creationTimestamp);
    revisions.push({
      revision,
      replicaSet: rs.metadata?.name ?? '',
      ...(changeCause ? { changeCause } : {}),
      images: templateImages(rs.spec?.template?.spec),
      ...(createdAt === undefined ? {} : { createdAt }),
      replicas: rs.spec?.replicas ?? 0,
      current: false,
    });
  }
  revisions.sort((a, b) => a.revision - b.revision);
  const last = revisions.at(-1);
  if (last) last.current = true;
  return revisions;
}

/** The ReplicaSet of `revision`, or undefined (kubectl: "unable to find specified revision"). */
export function replicaSetOfRevision(
  deployment: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
  revision: number,
): V1ReplicaSet | undefined {
  return ownedReplicaSets(deployment, replicaSets).find((rs) => revisionOf(rs) === revision);
}

/** A pod template without the controller's `pod-template-hash` label (what a Deployment holds). */
export function withoutTemplateHash(template: V1PodTemplateSpec): V1PodTemplateSpec {
  const copy = structuredClone(template);
  const labels = copy.metadata?.labels;
  if (copy.metadata && labels && POD_TEMPLATE_HASH_LABEL in labels) {
    copy.metadata.labels = Object.fromEntries(
      Object.entries(labels).filter(([key]) => key !== POD_TEMPLATE_HASH_LABEL),
    );
  }
  return copy;
}
