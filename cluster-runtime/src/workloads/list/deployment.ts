/**
 * A Deployment as a Workloads row, with its status in the words of `kubectl rollout status`:
 * failed when the Progressing condition says `ProgressDeadlineExceeded` or a ReplicaFailure
 * condition holds (e.g. `FailedCreate` when admission refuses its pods), paused, progressing
 * while the latest template is not yet on every replica (updated/available against desired,
 * reported as progress data), else available.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { deploymentRow } from '../../kinds/deployment.ts';
import { failedWords, identity, templateFacts, trueCondition } from './template.ts';
import type { WorkloadRow } from './types.ts';

export function deploymentWorkload(d: V1Deployment): WorkloadRow {
  const row = deploymentRow(d);
  const conditions = d.status?.conditions ?? [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const replicaFailure = trueCondition(conditions, 'ReplicaFailure');
  const base = {
    ...identity(d),
    kind: 'Deployment' as const,
    ready: row.ready,
    desired: row.desired,
    ...templateFacts(d.spec?.template),
    paused: row.paused,
  };
  const progress = row.rollingOut
    ? {
        current: Math.min(row.updated, row.available, row.desired),
        max: row.desired,
        description: `${row.updated} of ${row.desired} updated, ${row.available} available`,
      }
    : undefined;
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return failed(base, progressing.reason, progressing.message, progress);
  }
  if (replicaFailure) {
    return failed(base, replicaFailure.reason, replicaFailure.message, progress);
  }
  if (row.paused) {
    return { ...base, state: 'paused', status: 'Paused', warning: false };
  }
  if (row.rollingOut) {
    return {
      ...base,
      state: 'progressing',
      status: `Progressing: ${progress?.description ?? ''}`,
      warning: row.unavailable,
      ...(progress ? { progress } : {}),
    };
  }
  if (row.desired === 0) {
    return { ...base, state: 'scaled-to-zero', status: 'Scaled to zero', warning: false };
  }
  return { ...base, state: 'available', status: 'Available', warning: false };
}

function failed(
  base: Omit<WorkloadRow, 'state' | 'status' | 'warning'>,
  reason: string | undefined,
  message: string | undefined,
  progress: WorkloadRow['progress'],
): WorkloadRow {
  return {
    ...base,
    state: 'failed',
    status: failedWords(reason, message),
    ...(reason ? { reason } : {}),
    warning: true,
    ...(progress ? { progress } : {}),
  };
}
