/**
 * The left column: every cluster, a "New cluster" inline form, and per-cluster rename and
 * delete. Selection is the URL hash, so the list is a list of links.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { sortedClusters } from '../store/inventory-model.ts';
import { useApi, useInventory } from './app-context.tsx';
import { ClusterItem } from './ClusterItem.tsx';
import { Field } from './Field.tsx';
import { selectCluster } from './use-route.ts';
import { useAction } from './use-action.ts';

export function ClusterList({ selectedId }: { selectedId: string | null }) {
  const clusters = useInventory((s) => s.clusters);
  const loaded = useInventory((s) => s.loaded);
  const sorted = useMemo(() => sortedClusters(clusters), [clusters]);
  const [creating, setCreating] = useState(false);

  return (
    <nav className="sidebar" aria-label="Clusters">
      <div className="sidebar-header">
        <h2>Clusters</h2>
        {!creating ? (
          <button type="button" className="primary small" onClick={() => setCreating(true)}>
            New cluster
          </button>
        ) : null}
      </div>
      {creating ? <CreateClusterForm onDone={() => setCreating(false)} /> : null}
      {!loaded ? <p className="muted pad">Loading…</p> : null}
      {loaded && sorted.length === 0 && !creating ? (
        <p className="muted pad">No clusters yet.</p>
      ) : null}
      <ul className="cluster-list">
        {sorted.map((c) => (
          <ClusterItem key={c.id} cluster={c} selected={c.id === selectedId} />
        ))}
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
