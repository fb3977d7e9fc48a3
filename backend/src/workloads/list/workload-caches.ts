/**
 * The watch caches a connection keeps for the Workloads section: Deployments, StatefulSets and
 * CronJobs projected straight to slim Workloads rows (no spec blobs), and HPAs to kubectl's
 * columns plus what the operations panel shows of them (`hpaFeedRow`). Jobs and pods are cached by the connection already (they also feed the owner index
 * and the Pods section); the {@link WorkloadsSource} joins them all into one feed.
 *
 * @see ../../../../cluster-runtime/src/workloads/list/index.ts
 */
import {
  CRON_JOB,
  cronJobWorkload,
  DEPLOYMENT,
  deploymentWorkload,
  HPA,
  hpaFeedRow,
  STATEFUL_SET,
  statefulSetWorkload,
  type HpaFeedRow,
  type ResourceRef,
  type WatchCache,
  type WorkloadRow,
} from '@nodeless/cluster-runtime';

type V1Deployment = Parameters<typeof deploymentWorkload>[0];
type V1StatefulSet = Parameters<typeof statefulSetWorkload>[0];
type V1CronJob = Parameters<typeof cronJobWorkload>[0];
type V2Hpa = Parameters<typeof hpaFeedRow>[0];

/** The connection's cache maker: a name (for its status and errors), a kind, a projection. */
export type MakeCache = <
  T extends V1Deployment | V1StatefulSet | V1CronJob | V2Hpa,
  R extends { uid: string },
>(
  name: 'deployments' | 'statefulsets' | 'cronjobs' | 'hpas',
  type: ResourceRef,
  project: (o: T) => R,
) => WatchCache<R>;

export function workloadCaches(cache: MakeCache): {
  deployments: WatchCache<WorkloadRow>;
  statefulsets: WatchCache<WorkloadRow>;
  cronjobs: WatchCache<WorkloadRow>;
  hpas: WatchCache<HpaFeedRow>;
} {
  return {
    deployments: cache<V1Deployment, WorkloadRow>('deployments', DEPLOYMENT, deploymentWorkload),
    statefulsets: cache<V1StatefulSet, WorkloadRow>(
      'statefulsets',
      STATEFUL_SET,
      statefulSetWorkload,
    ),
    cronjobs: cache<V1CronJob, WorkloadRow>('cronjobs', CRON_JOB, cronJobWorkload),
    hpas: cache<V2Hpa, HpaFeedRow>('hpas', HPA, hpaFeedRow),
  };
}
