/**
 * A Deployment as a Workloads row, with its status in the words of `kubectl rollout status`:
 * failed when the Progressing condition says `ProgressDeadlineExceeded` or a ReplicaFailure
 * condition holds (e.g. `FailedCreate` when admission refuses its pods), paused, progressing
 * while the latest template is not yet on every replica (updated/available against desired,
 * reported as progress data — the one reading of {@link deploymentProgress}), else available.
 * The row always carries that progress (done or not) and the revision number, so the
 * operations panel follows a rollout and re-reads the history from the feed alone.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { deploymentRow } from '../../kinds/deployment.ts';
import { deploymentProgress } from './rollout-status.ts';
import { failedWords, identity, templateFacts, trueCondition } from './template.ts';
import type { WorkloadRow } from './types.ts';

/** The annotation the Deployment controller numbers revisions with. */
const REVISION = 'deployment.kubernetes.io/revision';

export function deploymentWorkload(d: V1Deployment): WorkloadRow {
  const row = deploymentRow(d);
  const conditions = d.status?.conditions ?? [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const replicaFailure = trueCondition(conditions, 'ReplicaFailure');
  const progress = deploymentProgress(d);
  const revision = d.metadata?.annotations?.[REVISION];
  const base = {
    ...identity(d),
    kind: 'Deployment' as const,
    ready: row.ready,
    desired: row.desired,
    ...templateFacts(d.spec?.template),
    paused: row.paused,
    progress,
    ...(revision ? { revision } : {}),
  };
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return failed(base, progressing.reason, progressing.message);
  }
  if (replicaFailure) {
    return failed(base, replicaFailure.reason, replicaFailure.message);
  }
  if (row.paused) {
    return { ...base, state: 'paused', status: 'Paused', warning: false };
  }
  if (!progress.done) {
    return {
      ...base,
      state: 'progressing',
      status: `Progressing: ${progress.summary}`,
      warning: row.unavailable,
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
): WorkloadRow {
  return {
    ...base,
    state: 'failed',
    status: failedWords(reason, message),
    ...(reason ? { reason } : {}),
    warning: true,
  };
}
