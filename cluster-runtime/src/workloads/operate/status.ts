/**
 * What the operations panel shows of one workload now: replicas, paused, the rollout's progress
 * as data, the current revision and its HPA. Read on demand (the panel asks again while an
 * operation it started runs), so it needs no cache of its own.
 */
import type {
  V1ControllerRevision,
  V1CronJob,
  V1Deployment,
  V1Job,
  V1StatefulSet,
  KubernetesObject,
} from '@kubernetes/client-node';
import type { KubeClient } from '../../client.ts';
import { revisionOf } from './history.ts';
import { hpaState, type HpaState } from './hpa-model.ts';
import { findHpa } from './hpa-operations.ts';
import { readWorkload, type WorkloadAddress } from './operations.ts';
import { CONTROLLER_REVISION } from './statefulset-history.ts';
import {
  deploymentProgress,
  statefulSetProgress,
  type RolloutProgress,
} from '../list/rollout-status.ts';

export interface WorkloadStatus {
  uid: string;
  /** spec.replicas (Deployment, StatefulSet); absent for kinds without replicas. */
  replicas?: number;
  readyReplicas?: number;
  paused?: boolean;
  /** The current revision (a Deployment's `deployment.kubernetes.io/revision`, a StatefulSet's update revision). */
  revision?: number;
  progress?: RolloutProgress;
  hpa?: HpaState;
  /** A CronJob's spec.suspend, a Job's completions — kept short: the list row has the rest. */
  suspended?: boolean;
}

export async function workloadStatus(
  client: KubeClient,
  w: WorkloadAddress,
  signal?: AbortSignal,
): Promise<WorkloadStatus> {
  const o = await readWorkload<KubernetesObject>(client, w, signal);
  const uid = o.metadata?.uid ?? '';
  if (w.kind === 'Deployment' || w.kind === 'StatefulSet') {
    const hpa = await findHpa(client, w, signal);
    const hpaPart = hpa ? { hpa: hpaState(hpa) } : {};
    if (w.kind === 'Deployment') {
      const d = o as V1Deployment;
      const revision = revisionOf(d);
      return {
        uid,
        replicas: d.spec?.replicas ?? 1,
        readyReplicas: d.status?.readyReplicas ?? 0,
        paused: d.spec?.paused === true,
        ...(revision === undefined ? {} : { revision }),
        progress: deploymentProgress(d),
        ...hpaPart,
      };
    }
    const s = o as V1StatefulSet;
    // The update revision is named in the status; its number is on the ControllerRevision.
    const updateRevision = s.status?.updateRevision;
    const cr = updateRevision
      ? await client.get<V1ControllerRevision>(
          CONTROLLER_REVISION,
          updateRevision,
          w.namespace,
          signal,
        )
      : undefined;
    return {
      uid,
      replicas: s.spec?.replicas ?? 1,
      readyReplicas: s.status?.readyReplicas ?? 0,
      ...(cr ? { revision: cr.revision } : {}),
      progress: statefulSetProgress(s),
      ...hpaPart,
    };
  }
  if (w.kind === 'CronJob') return { uid, suspended: (o as V1CronJob).spec?.suspend === true };
  if (w.kind === 'Job') return { uid, suspended: (o as V1Job).spec?.suspend === true };
  return { uid };
}
