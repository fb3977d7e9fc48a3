/**
 * Add tenant: a namespace, a quota picked from the size table (or whole vCPU and GiB) and an
 * optional pod limit. Each error — the form's own or the backend's 400 — shows under the field
 * it names (`namespace`, `quota.cpuMilli`, `quota.memoryBytes`, `pods`).
 */
import { useId, useState } from 'react';
import type { FieldErrors, TenantRow } from '@nodeless/backend/api';
import { fieldMessage } from '../api/problems.ts';
import { ProblemText } from '../install/ProblemText.tsx';
import { useTenantsApi } from '../ui/app-context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { useAction } from '../ui/use-action.ts';
import {
  addTenantInput,
  CUSTOM_QUOTA,
  EMPTY_ADD_FORM,
  listFieldError,
  quotaOptions,
  type AddTenantForm,
} from './tenant-model.ts';

const FIELDS = [
  'namespace',
  'extraNamespaces',
  'quota',
  'quota.cpuMilli',
  'quota.memoryBytes',
  'pods',
];

export function AddTenantDialog(props: {
  clusterId: string;
  onAdded(row: TenantRow): void;
  onClose(): void;
}) {
  const api = useTenantsApi();
  const action = useAction();
  const [form, setForm] = useState<AddTenantForm>(EMPTY_ADD_FORM);
  const [local, setLocal] = useState<FieldErrors>({});
  const quotaId = useId();
  const errors: FieldErrors = { ...action.problem?.fieldErrors, ...local };
  const unplaced =
    action.problem && !FIELDS.some((f) => listFieldError(action.problem?.fieldErrors ?? {}, f));

  function set<K extends keyof AddTenantForm>(key: K, value: AddTenantForm[K]) {
    setForm((f) => ({ ...f, [key]: value }));
    setLocal({});
    action.clear();
  }

  async function submit() {
    const parsed = addTenantInput(props.clusterId, form);
    if (!parsed.ok) {
      setLocal(parsed.fieldErrors);
      return;
    }
    const o = await action.run(() => api.add(parsed.input));
    if (o.ok) props.onAdded(o.value);
  }

  return (
    <Dialog title="Add tenant" onClose={props.onClose} wide>
      <form
        className="dialog-body"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field
          label="Namespace"
          value={form.namespace}
          onChange={(v) => set('namespace', v)}
          hint="Lower-case letters, digits and '-'; not kube-* or nodeless-system. Created if it does not exist."
          error={errors['namespace']}
          spellCheck={false}
          autoFocus
        />
        <Field
          label="More namespaces"
          value={form.extraNamespaces}
          onChange={(v) => set('extraNamespaces', v)}
          hint="Optional, separated by spaces: the same kubeconfig reaches them too, each with the quota below."
          error={listFieldError(errors, 'extraNamespaces')}
          spellCheck={false}
        />
        <div className="field">
          <label htmlFor={quotaId}>Quota</label>
          <select
            id={quotaId}
            value={form.quota}
            onChange={(e) => set('quota', e.target.value)}
            aria-invalid={errors['quota'] ? true : undefined}
            aria-describedby={`${errors['quota'] ? `${quotaId}-error ` : ''}${quotaId}-hint`}
          >
            {quotaOptions().map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {errors['quota'] ? (
            <p id={`${quotaId}-error`} className="field-error" role="alert">
              {fieldMessage('Quota', errors['quota'])}
            </p>
          ) : null}
          <p id={`${quotaId}-hint`} className="hint">
            The most all of the tenant&apos;s pods in one namespace may take together, counted in
            pod sizes.
          </p>
        </div>
        {form.quota === CUSTOM_QUOTA ? (
          <div className="row">
            <Field
              label="vCPU"
              value={form.vcpu}
              onChange={(v) => set('vcpu', v)}
              error={errors['quota.cpuMilli']}
              inputMode="numeric"
            />
            <Field
              label="Memory (GiB)"
              value={form.gib}
              onChange={(v) => set('gib', v)}
              error={errors['quota.memoryBytes']}
              inputMode="numeric"
            />
          </div>
        ) : null}
        <Field
          label="Pods"
          value={form.pods}
          onChange={(v) => set('pods', v)}
          hint="At most this many pods per namespace; empty for no limit."
          error={errors['pods']}
          inputMode="numeric"
        />
        {unplaced && action.problem ? <ProblemText problem={action.problem} /> : null}
        <footer className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={action.pending}>
            {action.pending ? 'Creating…' : 'Create tenant'}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
