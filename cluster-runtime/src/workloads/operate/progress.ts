/**
 * A rollout's progress as data (`{current, max, description}`, DESIGN.md "progress is data"),
 * decided as `kubectl rollout status` decides it: the controller must have observed the latest
 * spec, every replica must run the new template, old ones must be gone, and the new ones must be
 * available. `current` counts replicas that are both updated and available (ready for a
 * StatefulSet) out of the desired `max`; the description is kubectl's sentence.
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
}

const observed = (o: {
  metadata?: { generation?: number };
  status?: { observedGeneration?: number };
}) =>
  (o.status?.observedGeneration ?? 0) >= (o.metadata?.generation ?? 0) &&
  o.status?.observedGeneration !== undefined;

export function deploymentProgress(d: V1Deployment): RolloutProgress {
  const name = d.metadata?.name ?? '';
  const max = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const replicas = s.replicas ?? 0;
  const current = Math.min(updated, available, max);
  const at = (description: string, done = false): RolloutProgress => ({
    current,
    max,
    description,
    done,
  });
  if (!observed(d)) return at('Waiting for deployment spec update to be observed...');
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const failed = `deployment "${name}" exceeded its progress deadline`;
    return { ...at(failed, true), failed };
  }
  if (d.spec?.paused) return at(`deployment "${name}" is paused`, true);
  if (updated < max)
    return at(
      `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${max} new replicas have been updated...`,
    );
  if (replicas > updated)
    return at(
      `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`,
    );
  if (available < updated)
    return at(
      `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    );
  return at(`deployment "${name}" successfully rolled out`, true);
}

export function statefulSetProgress(s: V1StatefulSet): RolloutProgress {
  const max = s.spec?.replicas ?? 1;
  const st = s.status ?? { replicas: 0 };
  const ready = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  const rolling = st.updateRevision !== undefined && st.updateRevision !== st.currentRevision;
  const current = Math.min(ready, rolling ? updated : ready, max);
  const at = (description: string, done = false): RolloutProgress => ({
    current,
    max,
    description,
    done,
  });
  if (!observed(s)) return at('Waiting for statefulset spec update to be observed...');
  if (ready < max) return at(`Waiting for ${max - ready} pods to be ready...`);
  if ((st.replicas ?? 0) > max)
    return at(`Waiting for ${(st.replicas ?? 0) - max} pods to be removed...`);
  if (s.spec?.updateStrategy?.type === 'OnDelete')
    return at('rollout status is only available for RollingUpdate strategy type', true);
  if (rolling)
    return at(
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${st.updateRevision}...`,
    );
  return at(
    `statefulset rolling update complete ${st.currentReplicas ?? max} pods at revision ${st.currentRevision ?? ''}...`,
    true,
  );
}
