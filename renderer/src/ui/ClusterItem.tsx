/**
 * One row of the cluster list: a link that selects it, inline rename (Enter saves, Esc
 * cancels) and delete, which asks first when the cluster still has hosts.
 */
import { useState, type FormEvent } from 'react';
import type { ClusterView } from '@nodeless/backend/api';
import { useApi } from './app-context.tsx';
import { ConfirmDialog } from './Dialog.tsx';
import { Field } from './Field.tsx';
import { PencilIcon, TrashIcon } from './icons.tsx';
import { selectCluster, useSelectedClusterId } from './use-route.ts';
import { useAction } from './use-action.ts';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function ClusterItem({
  cluster,
  selected,
  subtitle,
}: {
  cluster: ClusterView;
  selected: boolean;
  /** What the list says under the name (defaults to the host count). */
  subtitle?: string;
}) {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const api = useApi();
  const del = useAction();
  const selectedId = useSelectedClusterId();

  async function remove(confirm: boolean) {
    const outcome = await del.run(() =>
      api.deleteCluster({ id: cluster.id, ...(confirm ? { confirm } : {}) }),
    );
    if (outcome.ok) {
      setConfirming(false);
      if (selectedId === cluster.id) selectCluster(null);
    }
  }

  // The backend refuses (412) when hosts were added meanwhile, e.g. in another window: ask.
  const mustConfirm = confirming || del.problem?.kind === 'needs-confirmation';

  if (renaming) {
    return (
      <li className="cluster-item renaming">
        <RenameForm cluster={cluster} onDone={() => setRenaming(false)} />
      </li>
    );
  }
  return (
    <li className={selected ? 'cluster-item selected' : 'cluster-item'}>
      <a
        href={`#/clusters/${encodeURIComponent(cluster.id)}`}
        aria-current={selected ? 'page' : undefined}
      >
        <span className="cluster-name">{cluster.name}</span>
        <span className="muted small">{subtitle ?? plural(cluster.hosts.length, 'host')}</span>
      </a>
      <div className="row-actions">
        <button
          type="button"
          className="ghost icon"
          aria-label={`Rename cluster ${cluster.name}`}
          title="Rename"
          onClick={() => setRenaming(true)}
        >
          <PencilIcon />
        </button>
        <button
          type="button"
          className="ghost icon danger-text"
          aria-label={`Delete cluster ${cluster.name}`}
          title="Delete"
          onClick={() => (cluster.hosts.length > 0 ? setConfirming(true) : void remove(false))}
        >
          <TrashIcon />
        </button>
      </div>
      {del.problem && !mustConfirm ? (
        <p className="form-error" role="alert">
          {del.problem.message}
        </p>
      ) : null}
      {mustConfirm ? (
        <ConfirmDialog
          title={`Delete cluster ${cluster.name}?`}
          confirmLabel={`Delete cluster and ${plural(cluster.hosts.length, 'host')}`}
          pending={del.pending}
          error={
            del.problem && del.problem.kind !== 'needs-confirmation' ? del.problem.message : null
          }
          onConfirm={() => void remove(true)}
          onClose={() => {
            setConfirming(false);
            del.clear();
          }}
        >
          <p>
            <strong>{cluster.name}</strong> has {plural(cluster.hosts.length, 'host')}. Nodeless
            will forget
            {cluster.hosts.length === 1 ? ' it' : ' them'} and the credentials stored for{' '}
            {cluster.hosts.length === 1 ? 'it' : 'them'}.
          </p>
          <p className="muted">Nothing is changed on the machines themselves.</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

function RenameForm({ cluster, onDone }: { cluster: ClusterView; onDone(): void }) {
  const api = useApi();
  const action = useAction();
  const [name, setName] = useState(cluster.name);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim() === cluster.name) return onDone();
    const outcome = await action.run(() => api.renameCluster({ id: cluster.id, name }));
    if (outcome.ok) onDone();
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
      noValidate
    >
      <Field
        label={`New name for ${cluster.name}`}
        value={name}
        onChange={setName}
        error={action.problem?.fieldErrors.name}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        spellCheck={false}
        autoCapitalize="off"
      />
      {action.problem && !action.problem.fieldErrors.name ? (
        <p className="form-error" role="alert">
          {action.problem.message}
        </p>
      ) : null}
      <div className="inline-actions">
        <button type="button" className="small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary small" disabled={action.pending}>
          Save
        </button>
      </div>
    </form>
  );
}
