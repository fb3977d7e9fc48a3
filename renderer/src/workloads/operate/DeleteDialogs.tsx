/**
 * Deleting, confirmed: a workload with a yes/no question (its pods and ReplicaSets go after it,
 * in the background, as `kubectl delete`), a namespace only once its name is typed — it takes
 * every object in it.
 */
import { useState } from 'react';
import type { WorkloadsOperateApi } from '../../api/workloads-operate-api.ts';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { useAction } from '../../ui/use-action.ts';
import type { WorkloadRef } from '../workload-ref.ts';

const WHAT_GOES: Record<WorkloadRef['kind'], string> = {
  Deployment: 'Its ReplicaSets and pods are removed after it.',
  StatefulSet: 'Its pods are removed after it; its volume claims stay.',
  Job: 'Its pods are removed after it.',
  CronJob: 'Its Jobs and their pods are removed after it.',
  Pod: 'Its containers are stopped.',
};

export function DeleteWorkloadDialog(props: {
  api: WorkloadsOperateApi;
  clusterId: string;
  workload: WorkloadRef;
  /** The uid shown: a workload re-created under the name meanwhile is not deleted. */
  uid?: string | undefined;
  onDeleted(): void;
  onClose(): void;
}) {
  const { api, clusterId, workload, uid, onDeleted, onClose } = props;
  const del = useAction();
  async function confirm() {
    const o = await del.run(() => api.delete({ clusterId, ...workload, ...(uid ? { uid } : {}) }));
    if (o.ok) onDeleted();
  }
  return (
    <ConfirmDialog
      title={`Delete ${workload.kind.toLowerCase()} ${workload.name}?`}
      confirmLabel={`Delete ${workload.name}`}
      pending={del.pending}
      error={del.problem?.message ?? null}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>
        {workload.kind} <strong>{workload.name}</strong> in namespace{' '}
        <strong>{workload.namespace}</strong> will be deleted. {WHAT_GOES[workload.kind]}
      </p>
    </ConfirmDialog>
  );
}

export function DeleteNamespaceDialog(props: {
  api: WorkloadsOperateApi;
  clusterId: string;
  namespace: string;
  onDeleted(): void;
  onClose(): void;
}) {
  const { api, clusterId, namespace, onDeleted, onClose } = props;
  const [typed, setTyped] = useState('');
  const del = useAction();
  async function confirm() {
    const o = await del.run(() =>
      api.deleteNamespace({ clusterId, name: namespace, confirmName: typed }),
    );
    if (o.ok) onDeleted();
  }
  return (
    <Dialog title={`Delete namespace ${namespace}?`} onClose={onClose}>
      <form
        className="host-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === namespace) void confirm();
        }}
      >
        <p>
          Everything in <strong>{namespace}</strong> is deleted: its workloads, services, secrets
          and volume claims. This cannot be undone.
        </p>
        <Field
          label={`Type ${namespace} to confirm`}
          value={typed}
          onChange={setTyped}
          autoComplete="off"
          spellCheck={false}
          error={del.problem?.fieldErrors['confirmName']}
        />
        {del.problem && !del.problem.fieldErrors['confirmName'] ? (
          <p className="form-error" role="alert">
            {del.problem.message}
          </p>
        ) : null}
        <footer className="dialog-actions">
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={typed !== namespace || del.pending}>
            {del.pending ? 'Deleting…' : `Delete namespace ${namespace}`}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
