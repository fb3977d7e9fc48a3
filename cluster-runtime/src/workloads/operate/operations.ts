/**
 * Operating a workload as kubectl does, through the one client: scale (the `scale`
 * subresource, as `kubectl scale`), `rollout pause|resume|restart|history|undo --to-revision`
 * (history and undo from ReplicaSets for a Deployment, ControllerRevisions for a StatefulSet),
 * and delete (propagation Background, as `kubectl delete`). Each writes what kubectl writes, so
 * a kubectl user reads back the same objects; each refusal kubectl makes (undo or restart of a
 * paused Deployment, a revision that does not exist) is an {@link OperationRefusedError} in
 * kubectl's words.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/scale/scale.go
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/scale/scale.go (ScaleClient: merge patch of the scale subresource)
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/rollout/
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/delete/delete.go (cascade=background)
 */
import type {
  KubernetesObject,
  V1ControllerRevision,
  V1Deployment,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { RESOURCES, type KubeClient } from '../../client.ts';
import { reservedNamespaceProblem } from '../../day2/kubeconfig-export.ts';
import type { KindIdentity } from '../../kinds/kind.ts';
import {
  deploymentHistory,
  labelSelectorText,
  replicaSetOfRevision,
  type Revision,
} from './history.ts';
import { pausePatch, planUndo, restartPatch, scalePatch, type UndoPlan } from './patches.ts';
import {
  CONTROLLER_REVISION,
  controllerRevisionOf,
  planStatefulSetUndo,
  revisionTemplate,
  statefulSetHistory,
} from './statefulset-history.ts';
import { templateDiff, type TemplateChange } from './template-diff.ts';

/** The kinds the Workloads section lists (bare pods included). */
export type OperableKind = 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob' | 'Pod';

export interface WorkloadAddress {
  kind: OperableKind;
  namespace: string;
  name: string;
}

/** kubectl would refuse this too; the message is kubectl's, the remedy says what to do. */
export class OperationRefusedError extends Error {
  override readonly name = 'OperationRefusedError';
  constructor(
    message: string,
    readonly remedy?: string,
  ) {
    super(message);
  }
}

/** The workload is not there (deleted meanwhile, or never was). */
export class WorkloadNotFoundError extends Error {
  override readonly name = 'WorkloadNotFoundError';
  constructor(readonly address: { kind: string; namespace: string; name: string }) {
    super(`${address.kind} ${address.namespace}/${address.name} does not exist (any more).`);
  }
}

const KINDS: Record<OperableKind, KindIdentity> = {
  Deployment: RESOURCES.deployments,
  StatefulSet: RESOURCES.statefulSets,
  Job: RESOURCES.jobs,
  CronJob: RESOURCES.cronJobs,
  Pod: RESOURCES.pods,
};

export function kindOf(kind: OperableKind): KindIdentity {
  return KINDS[kind];
}

/** The object, or a {@link WorkloadNotFoundError}. */
export async function readWorkload<T extends KubernetesObject>(
  client: KubeClient,
  w: WorkloadAddress,
  signal?: AbortSignal,
): Promise<T> {
  const o = await client.get<T>(KINDS[w.kind], w.name, w.namespace, signal);
  if (!o) throw new WorkloadNotFoundError(w);
  return o;
}

function assertScalable(w: WorkloadAddress): void {
  if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet')
    throw new OperationRefusedError(`a ${w.kind} has no replicas to scale`);
}

function assertDeployment(w: WorkloadAddress, what: string): void {
  if (w.kind !== 'Deployment')
    throw new OperationRefusedError(`${what} is only available for a Deployment here`);
}

/** `kubectl scale --replicas=N` (merge patch of the scale subresource); answers spec.replicas. */
export async function scaleWorkload(
  client: KubeClient,
  w: WorkloadAddress,
  replicas: number,
  signal?: AbortSignal,
): Promise<number> {
  assertScalable(w);
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new OperationRefusedError('replicas must be a whole number, 0 or more');
  await readWorkload(client, w, signal);
  const scale = await client.patchSubresource<{ spec?: { replicas?: number } }>(
    KINDS[w.kind],
    w.name,
    w.namespace,
    'scale',
    scalePatch(replicas),
    signal,
  );
  return scale.spec?.replicas ?? 0;
}

/** `kubectl rollout pause|resume`; answers whether anything changed (already so: false). */
export async function setPaused(
  client: KubeClient,
  w: WorkloadAddress,
  paused: boolean,
  signal?: AbortSignal,
): Promise<boolean> {
  assertDeployment(w, paused ? 'pause' : 'resume');
  const d = await readWorkload<V1Deployment>(client, w, signal);
  if ((d.spec?.paused === true) === paused) return false;
  await client.mergePatch(KINDS[w.kind], w.name, pausePatch(paused), w.namespace, signal);
  return true;
}

/** `kubectl rollout restart`: a new template annotation, hence a new revision and new pods. */
export async function restartWorkload(
  client: KubeClient,
  w: WorkloadAddress,
  now: Date,
  signal?: AbortSignal,
): Promise<void> {
  assertScalable(w);
  const o = await readWorkload<V1Deployment | V1StatefulSet>(client, w, signal);
  if (w.kind === 'Deployment' && (o as V1Deployment).spec?.paused)
    throw new OperationRefusedError(
      "can't restart paused deployment (run rollout resume first)",
      'Resume the rollout, then restart.',
    );
  await client.mergePatch(KINDS[w.kind], w.name, restartPatch(now), w.namespace, signal);
}

async function deploymentAndSets(client: KubeClient, w: WorkloadAddress, signal?: AbortSignal) {
  const deployment = await readWorkload<V1Deployment>(client, w, signal);
  const { items } = await client.list<V1ReplicaSet>(RESOURCES.replicaSets, {
    namespace: w.namespace,
    labelSelector: labelSelectorText(deployment.spec?.selector),
    ...(signal ? { signal } : {}),
  });
  return { deployment, replicaSets: items };
}

async function statefulSetAndRevisions(
  client: KubeClient,
  w: WorkloadAddress,
  signal?: AbortSignal,
) {
  const sts = await readWorkload<V1StatefulSet>(client, w, signal);
  const { items } = await client.list<V1ControllerRevision>(CONTROLLER_REVISION, {
    namespace: w.namespace,
    labelSelector: labelSelectorText(sts.spec?.selector),
    ...(signal ? { signal } : {}),
  });
  return { sts, revisions: items };
}

/** `kubectl rollout history`: the revisions, oldest first (Deployments and StatefulSets). */
export async function rolloutHistory(
  client: KubeClient,
  w: WorkloadAddress,
  signal?: AbortSignal,
): Promise<Revision[]> {
  assertScalable(w);
  if (w.kind === 'StatefulSet') {
    const { sts, revisions } = await statefulSetAndRevisions(client, w, signal);
    return statefulSetHistory(sts, revisions);
  }
  const { deployment, replicaSets } = await deploymentAndSets(client, w, signal);
  return deploymentHistory(deployment, replicaSets);
}

const revisionNotFound = (revision: number) =>
  new OperationRefusedError(
    `unable to find specified revision ${revision} in history`,
    'Pick a revision from the history; older ones were pruned (revisionHistoryLimit).',
  );

/** Each revision's pod template by number (throws for one not in the history). */
async function templatesOf(
  client: KubeClient,
  w: WorkloadAddress,
  wanted: number[],
  signal?: AbortSignal,
): Promise<V1PodTemplateSpec[]> {
  assertScalable(w);
  if (w.kind === 'StatefulSet') {
    const { sts, revisions } = await statefulSetAndRevisions(client, w, signal);
    return wanted.map((n) => {
      const r = controllerRevisionOf(sts, revisions, n);
      if (!r) throw revisionNotFound(n);
      return revisionTemplate(r);
    });
  }
  const { deployment, replicaSets } = await deploymentAndSets(client, w, signal);
  return wanted.map((n) => {
    const rs = replicaSetOfRevision(deployment, replicaSets, n);
    if (!rs) throw revisionNotFound(n);
    return rs.spec?.template ?? {};
  });
}

/** What changes from revision `from` to revision `to`, field by field. */
export async function diffRevisions(
  client: KubeClient,
  w: WorkloadAddress,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<TemplateChange[]> {
  const [a, b] = await templatesOf(client, w, [from, to], signal);
  return templateDiff(a ?? {}, b ?? {});
}

export type UndoResult = { rolledBack: true } | { rolledBack: false; reason: string };

/**
 * `kubectl rollout undo --to-revision=N`: the revision's template back on the workload (see
 * ./patches.ts and ./statefulset-history.ts for how); the controller then makes it the newest
 * revision.
 */
export async function undoRollout(
  client: KubeClient,
  w: WorkloadAddress,
  toRevision: number,
  signal?: AbortSignal,
): Promise<UndoResult> {
  assertScalable(w);
  let plan: UndoPlan;
  if (w.kind === 'StatefulSet') {
    const { sts, revisions } = await statefulSetAndRevisions(client, w, signal);
    const r = controllerRevisionOf(sts, revisions, toRevision);
    if (!r) throw revisionNotFound(toRevision);
    plan = planStatefulSetUndo(sts, r);
  } else {
    const { deployment, replicaSets } = await deploymentAndSets(client, w, signal);
    const rs = replicaSetOfRevision(deployment, replicaSets, toRevision);
    if (!rs) throw revisionNotFound(toRevision);
    if (deployment.spec?.paused)
      throw new OperationRefusedError(
        `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${w.name}' and try again`,
        'Resume the rollout, then roll back.',
      );
    plan = planUndo(deployment, rs);
  }
  if (plan.kind === 'skip') return { rolledBack: false, reason: plan.reason };
  await client.mergePatch(KINDS[w.kind], w.name, plan.patch, w.namespace, signal);
  return { rolledBack: true };
}

/**
 * `kubectl delete` (cascade=background: the object goes at once, the garbage collector removes
 * its ReplicaSets and pods after). Preconditioned on the uid the user saw, so a workload
 * re-created under the same name meanwhile is not deleted by mistake.
 */
export async function deleteWorkload(
  client: KubeClient,
  w: WorkloadAddress,
  options: { uid?: string; signal?: AbortSignal } = {},
): Promise<boolean> {
  return client.delete(KINDS[w.kind], w.name, w.namespace, {
    propagationPolicy: 'Background',
    ...(options.uid ? { uid: options.uid } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * Deletes a namespace and everything in it, only when `typedName` repeats its name (the
 * confirmation a person types); never a system namespace (kube-*, nodeless-system).
 */
export async function deleteNamespace(
  client: KubeClient,
  name: string,
  typedName: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const reserved = reservedNamespaceProblem(name);
  if (reserved) throw new OperationRefusedError(reserved);
  if (typedName !== name)
    throw new OperationRefusedError(
      `the typed name "${typedName}" is not "${name}"`,
      'Type the namespace name exactly to confirm.',
    );
  return client.delete(RESOURCES.namespaces, name, undefined, {
    propagationPolicy: 'Background',
    ...(signal ? { signal } : {}),
  });
}
