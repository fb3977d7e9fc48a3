/**
 * Remove a tenant, once its name is typed: its access in every namespace, its quota and every
 * kubeconfig handed out go. Its namespaces and their workloads stay unless the user types the
 * names of those to delete as well (they go with everything in them). The form's errors and
 * the backend's land under the field they name (`confirm`, `deleteNamespaces`).
 */
import { useState } from 'react';
import type { FieldErrors, TenantRemoved, TenantRow } from '@nodeless/backend/api';
import { ProblemText } from '../install/ProblemText.tsx';
import { useTenantsApi } from '../ui/app-context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { useAction } from '../ui/use-action.ts';
import { listFieldError, removeTenantInput, type RemoveTenantForm } from './tenant-model.ts';

export function RemoveTenantDialog(props: {
  clusterId: string;
  row: TenantRow;
  onRemoved(removed: TenantRemoved): void;
  onClose(): void;
}) {
  const { clusterId, row } = props;
  const api = useTenantsApi();
  const action = useAction();
  const [form, setForm] = useState<RemoveTenantForm>({ confirm: '', deleteNamespaces: '' });
  const [local, setLocal] = useState<FieldErrors>({});
  const errors: FieldErrors = { ...action.problem?.fieldErrors, ...local };
  const deleteError = listFieldError(errors, 'deleteNamespaces');
  const several = row.namespaces.length > 1;

  function set<K extends keyof RemoveTenantForm>(key: K, value: string) {
    setForm((f) => ({ ...f, [key]: value }));
    setLocal({});
    action.clear();
  }

  async function submit() {
    const parsed = removeTenantInput(clusterId, row, form);
    if (!parsed.ok) {
      setLocal(parsed.fieldErrors);
      return;
    }
    const o = await action.run(() => api.remove(parsed.input));
    if (o.ok) props.onRemoved(o.value);
  }

  return (
    <Dialog title={`Remove tenant ${row.namespace}?`} onClose={props.onClose}>
      <form
        className="dialog-body"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>
          Every kubeconfig of <strong>{row.namespace}</strong> stops working, and its access and
          quota go from {several ? 'its namespaces' : 'the namespace'}{' '}
          <span className="mono">{row.namespaces.join(', ')}</span>. The namespaces and their
          workloads stay unless you name them below.
        </p>
        <Field
          label="Type the tenant's name to confirm"
          value={form.confirm}
          onChange={(v) => set('confirm', v)}
          error={errors['confirm']}
          spellCheck={false}
          autoComplete="off"
          autoFocus
        />
        <Field
          label="Also delete namespaces"
          value={form.deleteNamespaces}
          onChange={(v) => set('deleteNamespaces', v)}
          hint="Optional: type the name of each namespace to delete with everything in it, separated by spaces."
          error={deleteError}
          spellCheck={false}
          autoComplete="off"
        />
        {action.problem && !errors['confirm'] && !deleteError ? (
          <ProblemText problem={action.problem} />
        ) : null}
        <footer className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="danger"
            disabled={action.pending || form.confirm.trim() !== row.namespace}
          >
            {action.pending ? 'Removing…' : 'Remove tenant'}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
