/**
 * A StatefulSet as a Workloads row: progressing while the controller has not observed the
 * latest spec, an update revision is not on every replica yet, or fewer replicas are ready than
 * desired (`kubectl rollout status`'s test, {@link statefulSetProgress}); else available. The
 * row carries that progress and its update revision (the history changes with it).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#rolling-updates
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go (StatefulSetStatusViewer)
 */
import type { V1StatefulSet } from '@kubernetes/client-node';
import { statefulSetRow } from '../../kinds/statefulset.ts';
import { statefulSetProgress } from './rollout-status.ts';
import { identity, templateFacts } from './template.ts';
import type { WorkloadRow } from './types.ts';

export function statefulSetWorkload(s: V1StatefulSet): WorkloadRow {
  const row = statefulSetRow(s);
  const progress = statefulSetProgress(s);
  const revision = s.status?.updateRevision;
  const base = {
    ...identity(s),
    kind: 'StatefulSet' as const,
    ready: row.ready,
    desired: row.desired,
    ...templateFacts(s.spec?.template),
    paused: false,
    progress,
    ...(revision ? { revision } : {}),
  };
  if (!progress.done) {
    return {
      ...base,
      state: 'progressing',
      status: `Progressing: ${progress.summary}`,
      warning: false,
    };
  }
  if (row.desired === 0) {
    return { ...base, state: 'scaled-to-zero', status: 'Scaled to zero', warning: false };
  }
  return { ...base, state: 'available', status: 'Available', warning: false };
}
