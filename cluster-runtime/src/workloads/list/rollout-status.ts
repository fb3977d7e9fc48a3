/**
 * A rollout's progress as data (`{current, max, description}`, DESIGN.md "progress is data"),
 * decided as `kubectl rollout status` decides it: the controller must have observed the latest
 * spec, every replica must run the new template, old ones must be gone, and the new ones must be
 * available. `current` counts replicas that are both updated and available (ready for a
 * StatefulSet) out of the desired `max`; the description is kubectl's sentence, the summary the
 * same stage in a few words for a status cell. The ONE place a rollout's state is decided: the
 * Workloads rows (the `workloads` feed) and the operations' status both read it from here.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
 */
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import type { StepProgress } from '@nodeless/common';

export interface RolloutProgress extends StepProgress {
  /** Nothing left to wait for. */
  done: boolean;
  /** Set when the rollout stopped short (the progress deadline passed). */
  failed?: string;
  /** The stage in a few words: `2 of 3 updated`, `1 old replica terminating`, `rolled out`. */
  summary: string;
}

const observed = (o: {
  metadata?: { generation?: number };
  status?: { observedGeneration?: number };
}) =>
  (o.status?.observedGeneration ?? 0) >= (o.metadata?.generation ?? 0) &&
  o.status?.observedGeneration !== undefined;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const UNOBSERVED = 'waiting for the controller';

export function deploymentProgress(d: V1Deployment): RolloutProgress {
  const name = d.metadata?.name ?? '';
  const max = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const replicas = s.replicas ?? 0;
  const current = Math.min(updated, available, max);
  const at = (description: string, summary: string, done = false): RolloutProgress => ({
    current,
    max,
    description,
    summary,
    done,
  });
  if (!observed(d)) return at('Waiting for deployment spec update to be observed...', UNOBSERVED);
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const failed = `deployment "${name}" exceeded its progress deadline`;
    return { ...at(failed, 'progress deadline exceeded', true), failed };
  }
  if (d.spec?.paused) return at(`deployment "${name}" is paused`, 'paused', true);
  if (updated < max)
    return at(
      `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${max} new replicas have been updated...`,
      `${updated} of ${max} updated`,
    );
  if (replicas > updated)
    return at(
      `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`,
      `${plural(replicas - updated, 'old replica', 'old replicas')} terminating`,
    );
  if (available < updated)
    return at(
      `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
      `${available} of ${updated} available`,
    );
  return at(`deployment "${name}" successfully rolled out`, 'rolled out', true);
}

export function statefulSetProgress(s: V1StatefulSet): RolloutProgress {
  const max = s.spec?.replicas ?? 1;
  const st = s.status ?? { replicas: 0 };
  const ready = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  const rolling = st.updateRevision !== undefined && st.updateRevision !== st.currentRevision;
  const current = Math.min(ready, rolling ? updated : ready, max);
  const at = (description: string, summary: string, done = false): RolloutProgress => ({
    current,
    max,
    description,
    summary,
    done,
  });
  if (!observed(s)) return at('Waiting for statefulset spec update to be observed...', UNOBSERVED);
  if (ready < max)
    return at(`Waiting for ${max - ready} pods to be ready...`, `${ready} of ${max} ready`);
  if ((st.replicas ?? 0) > max) {
    const extra = (st.replicas ?? 0) - max;
    return at(
      `Waiting for ${extra} pods to be removed...`,
      `${plural(extra, 'pod', 'pods')} being removed`,
    );
  }
  if (s.spec?.updateStrategy?.type === 'OnDelete')
    return at(
      'rollout status is only available for RollingUpdate strategy type',
      'updates when pods are deleted',
      true,
    );
  if (rolling)
    return at(
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${st.updateRevision}...`,
      `${updated} of ${max} updated`,
    );
  return at(
    `statefulset rolling update complete ${st.currentReplicas ?? max} pods at revision ${st.currentRevision ?? ''}...`,
    'rolled out',
    true,
  );
}
