/**
 * A StatefulSet as a Workloads row: progressing while the controller has not observed the
 * latest spec, an update revision is not on every replica yet, or fewer replicas are ready than
 * desired (the same test as `kubectl rollout status` for the RollingUpdate strategy); else
 * available.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#rolling-updates
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go (StatefulSetStatusViewer)
 */
import type { V1StatefulSet } from '@kubernetes/client-node';
import { statefulSetRow } from '../../kinds/statefulset.ts';
import { identity, templateFacts } from './template.ts';
import type { WorkloadRow } from './types.ts';

export function statefulSetWorkload(s: V1StatefulSet): WorkloadRow {
  const row = statefulSetRow(s);
  const st = s.status;
  const observed = (st?.observedGeneration ?? 0) >= (s.metadata?.generation ?? 0);
  const revisionPending =
    st?.updateRevision !== undefined && st.currentRevision !== st.updateRevision;
  const base = {
    ...identity(s),
    kind: 'StatefulSet' as const,
    ready: row.ready,
    desired: row.desired,
    ...templateFacts(s.spec?.template),
    paused: false,
  };
  if (!observed || revisionPending || row.ready < row.desired) {
    const updated = revisionPending ? row.updated : row.ready;
    const progress = {
      current: Math.min(updated, row.ready, row.desired),
      max: row.desired,
      description: revisionPending
        ? `${row.updated} of ${row.desired} updated, ${row.ready} ready`
        : `${row.ready} of ${row.desired} ready`,
    };
    return {
      ...base,
      state: 'progressing',
      status: `Progressing: ${progress.description}`,
      warning: false,
      progress,
    };
  }
  if (row.desired === 0) {
    return { ...base, state: 'scaled-to-zero', status: 'Scaled to zero', warning: false };
  }
  return { ...base, state: 'available', status: 'Available', warning: false };
}
