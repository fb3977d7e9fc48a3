/**
 * The replicas of a Deployment or StatefulSet: a number field with − and + beside it, applied
 * with Scale (or Enter) through the `scale` subresource, as `kubectl scale --replicas=N`.
 * The field follows the cluster until the user types in it.
 */
import { useId, useState, type FormEvent } from 'react';
import type { WorkloadStatus } from '@nodeless/backend/api';
import { fieldMessage } from '../../api/problems.ts';
import type { WorkloadsOperateApi } from '../../api/workloads-operate-api.ts';
import { useAction } from '../../ui/use-action.ts';
import type { WorkloadRef } from '../workload-ref.ts';
import { stepReplicas, wholeNumber } from './operate-model.ts';

/** The API's bound on replicas set by hand (backend MAX_MANUAL_REPLICAS). */
const MAX_REPLICAS = 1000;

export interface ScaleControlProps {
  api: WorkloadsOperateApi;
  clusterId: string;
  workload: WorkloadRef;
  status: WorkloadStatus;
  /** Called once the cluster took the new count; the panel then follows the rollout. */
  onScaled(replicas: number): void;
}

export function ScaleControl({ api, clusterId, workload, status, onScaled }: ScaleControlProps) {
  const id = useId();
  const action = useAction();
  const current = status.replicas ?? 0;
  // What the user typed; until then (and after Scale) the field shows the cluster's count.
  const [edited, setEdited] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const value = edited ?? String(current);
  const dirty = edited !== null && edited !== String(current);

  const change = (v: string) => {
    setEdited(v);
    setLocalError(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = wholeNumber(value);
    if (typeof n === 'string') return setLocalError(n);
    const o = await action.run(() => api.scale({ clusterId, ...workload, replicas: n }));
    if (!o.ok) return;
    setEdited(null);
    onScaled(o.value.replicas);
  }

  const error = localError ?? action.problem?.fieldErrors['replicas'] ?? null;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const hpa = status.hpa?.model;
  return (
    <form className="ops-group" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-title`} className="ops-title">
        Replicas
      </h3>
      <div className="scale-row">
        <button
          type="button"
          className="step"
          aria-label="One replica fewer"
          onClick={() => change(stepReplicas(value, -1, MAX_REPLICAS))}
        >
          −
        </button>
        <input
          id={id}
          className="replicas"
          inputMode="numeric"
          aria-label="Replicas"
          value={value}
          onChange={(e) => change(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={[error ? errorId : '', hintId].filter(Boolean).join(' ')}
        />
        <button
          type="button"
          className="step"
          aria-label="One replica more"
          onClick={() => change(stepReplicas(value, 1, MAX_REPLICAS))}
        >
          +
        </button>
        <button type="submit" disabled={action.pending || !dirty}>
          {action.pending ? 'Scaling…' : 'Scale'}
        </button>
      </div>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {fieldMessage('Replicas', error)}
        </p>
      ) : null}
      {action.problem && !action.problem.fieldErrors['replicas'] ? (
        <p className="form-error" role="alert">
          {action.problem.message}
        </p>
      ) : null}
      <p id={hintId} className="hint">
        {status.readyReplicas ?? 0} of {current} ready.
        {hpa
          ? ` The autoscaler keeps it between ${hpa.minReplicas} and ${hpa.maxReplicas}: a count set here lasts until its next decision.`
          : ''}
      </p>
    </form>
  );
}
