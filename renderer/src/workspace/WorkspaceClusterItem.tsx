/**
 * A cluster of the list that Nodeless connects to but did not build (imported, demo): a link
 * to it and "Remove", which forgets the stored kubeconfig after asking. Nothing changes on
 * the cluster itself. (An installed cluster shows here only until the inventory arrives.)
 */
import { useState } from 'react';
import { useWorkspaceApi } from '../ui/app-context.tsx';
import { ConfirmDialog } from '../ui/Dialog.tsx';
import { TrashIcon } from '../ui/icons.tsx';
import { selectCluster } from '../ui/use-route.ts';
import { useAction } from '../ui/use-action.ts';
import { entrySubtitle, type ClusterEntry } from './cluster-entries.ts';

export function WorkspaceClusterItem({
  entry,
  selected,
}: {
  entry: ClusterEntry;
  selected: boolean;
}) {
  const api = useWorkspaceApi();
  const del = useAction();
  const [confirming, setConfirming] = useState(false);

  async function remove() {
    const outcome = await del.run(() => api.remove({ clusterId: entry.id }));
    if (!outcome.ok) return;
    setConfirming(false);
    // The pushed cluster list drops it, in this window and every other.
    if (selected) selectCluster(null);
  }

  return (
    <li className={selected ? 'cluster-item selected' : 'cluster-item'}>
      <a
        href={`#/clusters/${encodeURIComponent(entry.id)}`}
        aria-current={selected ? 'page' : undefined}
      >
        <span className="cluster-name">{entry.name}</span>
        <span className={entry.source === 'demo' ? 'small demo-text' : 'muted small'}>
          {entrySubtitle(entry)}
        </span>
      </a>
      {/* An installed cluster listed before the inventory arrived is not removed here. */}
      {entry.managed ? null : (
        <div className="row-actions">
          <button
            type="button"
            className="ghost icon danger-text"
            aria-label={`Remove cluster ${entry.name}`}
            title="Remove"
            onClick={() => setConfirming(true)}
          >
            <TrashIcon />
          </button>
        </div>
      )}
      {confirming ? (
        <ConfirmDialog
          title={`Remove ${entry.name} from Nodeless?`}
          confirmLabel="Remove"
          pending={del.pending}
          error={del.problem?.message ?? null}
          onConfirm={() => void remove()}
          onClose={() => {
            setConfirming(false);
            del.clear();
          }}
        >
          <p>Nodeless forgets this cluster and the credentials it stored for it.</p>
          <p className="muted">Nothing is changed on the cluster itself.</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}
