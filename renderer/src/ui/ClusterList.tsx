/**
 * The left column: every cluster of every source in one list (built on the user's machines,
 * imported from a kubeconfig, the demo), a "New cluster" inline form, "Import kubeconfig", and
 * per-cluster rename/delete (or remove, for clusters Nodeless only connects to). Selection is
 * the URL hash, so the list is a list of links.
 */
import { useState, type FormEvent } from 'react';
import { entrySubtitle, machinesView, type ClusterEntry } from '../workspace/cluster-entries.ts';
import { ImportKubeconfigDialog } from '../workspace/ImportKubeconfigDialog.tsx';
import { WorkspaceClusterItem } from '../workspace/WorkspaceClusterItem.tsx';
import { useApi, useInventory } from './app-context.tsx';
import { ClusterItem } from './ClusterItem.tsx';
import { Field } from './Field.tsx';
import { selectCluster } from './use-route.ts';
import { useAction } from './use-action.ts';

export function ClusterList({
  selectedId,
  entries,
}: {
  selectedId: string | null;
  entries: readonly ClusterEntry[];
}) {
  const loaded = useInventory((s) => s.loaded);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);

  return (
    <nav className="sidebar" aria-label="Clusters">
      <div className="sidebar-header">
        <h2>Clusters</h2>
        {!creating ? (
          <div className="inline-actions">
            <button type="button" className="small" onClick={() => setImporting(true)}>
              Import kubeconfig
            </button>
            <button type="button" className="primary small" onClick={() => setCreating(true)}>
              New cluster
            </button>
          </div>
        ) : null}
      </div>
      {creating ? <CreateClusterForm onDone={() => setCreating(false)} /> : null}
      {importing ? <ImportKubeconfigDialog onClose={() => setImporting(false)} /> : null}
      {!loaded ? <p className="muted pad">Loading…</p> : null}
      {loaded && entries.length === 0 && !creating ? (
        <p className="muted pad">No clusters yet.</p>
      ) : null}
      <ul className="cluster-list">
        {entries.map((e) =>
          machinesView(e) === 'manage' && e.inventory ? (
            <ClusterItem
              key={e.id}
              cluster={e.inventory}
              selected={e.id === selectedId}
              subtitle={entrySubtitle(e)}
            />
          ) : (
            <WorkspaceClusterItem key={e.id} entry={e} selected={e.id === selectedId} />
          ),
        )}
      </ul>
    </nav>
  );
}

function CreateClusterForm({ onDone }: { onDone(): void }) {
  const api = useApi();
  const action = useAction();
  const [name, setName] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const outcome = await action.run(() => api.createCluster({ name }));
    if (outcome.ok) {
      onDone();
      selectCluster(outcome.value.id);
    }
  }

  const fieldError = action.problem?.fieldErrors.name;
  return (
    <form
      className="create-cluster"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
      noValidate
    >
      <Field
        label="Cluster name"
        value={name}
        onChange={setName}
        error={fieldError}
        placeholder="e.g. home-lab"
        hint="Lowercase letters, digits and “-”."
        autoFocus
        spellCheck={false}
        autoCapitalize="off"
      />
      {action.problem && !fieldError ? (
        <p className="form-error" role="alert">
          {action.problem.message}
        </p>
      ) : null}
      <div className="inline-actions">
        <button type="button" className="small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary small" disabled={action.pending}>
          Create
        </button>
      </div>
    </form>
  );
}
