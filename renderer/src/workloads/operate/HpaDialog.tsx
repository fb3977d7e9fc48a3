/**
 * The HPA editor: create or edit the workload's autoscaling/v2 HPA (min, max, CPU and/or memory
 * target as a percent of the pods' requests, scale-down stabilisation), with the HPA's state
 * now beside the form when it exists. Saved with server-side apply; the backend's field errors
 * show under the field they name.
 */
import { useState, type FormEvent } from 'react';
import type { HpaState } from '@nodeless/backend/api';
import type { WorkloadsOperateApi } from '../../api/workloads-operate-api.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { useAction } from '../../ui/use-action.ts';
import type { WorkloadRef } from '../workload-ref.ts';
import { HpaSummary } from './HpaSummary.tsx';
import { hpaInputOf, type HpaForm } from './operate-model.ts';

const FORM_FIELDS = new Set([
  'name',
  'minReplicas',
  'maxReplicas',
  'cpuUtilization',
  'memoryUtilization',
  'scaleDownStabilizationSeconds',
  'metrics',
]);

export interface HpaDialogProps {
  api: WorkloadsOperateApi;
  clusterId: string;
  workload: WorkloadRef;
  /** The form's start: a new HPA's defaults, or the existing one's model. */
  initial: HpaForm;
  /** The HPA now, when editing. */
  existing?: HpaState;
  onSaved(state: HpaState): void;
  onClose(): void;
}

export function HpaDialog(props: HpaDialogProps) {
  const { api, clusterId, workload, existing, onSaved, onClose } = props;
  const [form, setForm] = useState<HpaForm>(props.initial);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const save = useAction();
  const set = (key: keyof HpaForm) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setLocalErrors((e) => ({ ...e, [key]: '' }));
  };
  const errors = { ...save.problem?.fieldErrors, ...localErrors };
  const error = (key: string) => errors[key] || undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = hpaInputOf(clusterId, workload, form);
    if (!result.ok) return setLocalErrors(result.errors);
    setLocalErrors({});
    const o = await save.run(() => api.hpaApply(result.input));
    if (o.ok) onSaved(o.value);
  }

  const title = existing
    ? `Edit autoscaler ${existing.name}`
    : `Add autoscaler to ${workload.name}`;
  // Errors on fields the form has go under them; the rest (target, input) go below.
  const unplaced = Object.entries(save.problem?.fieldErrors ?? {}).filter(
    ([key]) => !FORM_FIELDS.has(key),
  );
  const general =
    save.problem && (Object.keys(save.problem.fieldErrors).length === 0 || unplaced.length > 0);
  return (
    <Dialog title={title} onClose={onClose} wide>
      <form className="host-form hpa-form" onSubmit={(e) => void submit(e)} noValidate>
        {existing ? <HpaSummary hpa={existing} /> : null}
        <Field
          label="Name"
          value={form.name}
          onChange={set('name')}
          disabled={existing !== undefined}
          error={error('name')}
          hint={existing ? 'An HPA keeps its name.' : undefined}
        />
        <div className="row">
          <Field
            label="Minimum replicas"
            value={form.minReplicas}
            onChange={set('minReplicas')}
            inputMode="numeric"
            error={error('minReplicas')}
          />
          <Field
            label="Maximum replicas"
            value={form.maxReplicas}
            onChange={set('maxReplicas')}
            inputMode="numeric"
            error={error('maxReplicas')}
          />
        </div>
        <div className="row">
          <Field
            label="Target CPU (% of request)"
            value={form.cpuUtilization}
            onChange={set('cpuUtilization')}
            inputMode="numeric"
            error={error('cpuUtilization')}
            hint="Empty: no CPU target."
          />
          <Field
            label="Target memory (% of request)"
            value={form.memoryUtilization}
            onChange={set('memoryUtilization')}
            inputMode="numeric"
            error={error('memoryUtilization')}
            hint="Empty: no memory target."
          />
        </div>
        {error('metrics') ? (
          <p className="field-error" role="alert">
            Targets: {error('metrics')}
          </p>
        ) : null}
        <Field
          label="Scale-down stabilisation (seconds)"
          value={form.scaleDownStabilizationSeconds}
          onChange={set('scaleDownStabilizationSeconds')}
          inputMode="numeric"
          error={error('scaleDownStabilizationSeconds')}
          hint="How long the autoscaler waits before removing pods after the load drops. Empty: the controller's default (300 s)."
        />
        {general ? (
          <p className="form-error" role="alert">
            {unplaced.length > 0
              ? unplaced.map(([key, message]) => `${key}: ${message}`).join('; ')
              : save.problem?.message}
          </p>
        ) : null}
        <footer className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.pending}>
            {save.pending ? 'Saving…' : existing ? 'Save autoscaler' : 'Add autoscaler'}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
