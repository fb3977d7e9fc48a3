/**
 * The page frame: top bar, connection banner, cluster list on the left and the selected
 * cluster (its sections) on the right. The list merges the inventory's clusters with the
 * workspace's; both are pushed by the backend, so an import, removal, install or rename in
 * any window shows in every window without a reload.
 */
import { useEffect, useMemo } from 'react';
import { clusterEntries, documentTitle } from '../workspace/cluster-entries.ts';
import { ClusterShell } from '../workspace/ClusterShell.tsx';
import { useWorkspaceClusters } from '../workspace/use-workspace.ts';
import { useInventory, useWorkspaceHub } from './app-context.tsx';
import { ClusterList } from './ClusterList.tsx';
import { navigate, useRoute } from './use-route.ts';

export function App() {
  const route = useRoute();
  const selectedId = route.kind === 'cluster' ? route.clusterId : null;
  const hub = useWorkspaceHub();
  const inventory = useInventory((s) => s.clusters);
  const inventoryLoaded = useInventory((s) => s.loaded);
  const workspace = useWorkspaceClusters((s) => s.clusters);
  const workspaceLoaded = useWorkspaceClusters((s) => s.loaded);
  const entries = useMemo(() => clusterEntries(inventory, workspace), [inventory, workspace]);
  const entry = selectedId ? entries.find((e) => e.id === selectedId) : undefined;
  const loaded = inventoryLoaded && workspaceLoaded;
  const count = entries.length;

  useEffect(() => hub.connectClusters(), [hub]);
  useEffect(() => {
    if (!entry) document.title = documentTitle(undefined);
  }, [entry]);
  // First start: the demo is the only cluster, so open it rather than an empty page.
  const onlyDemo = loaded && count === 1 && entries[0]?.source === 'demo' ? entries[0].id : null;
  useEffect(() => {
    if (route.kind === 'home' && onlyDemo) {
      navigate({ kind: 'cluster', clusterId: onlyDemo }, { replace: true });
    }
  }, [route.kind, onlyDemo]);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <span className="logo" aria-hidden="true" />
          Nodeless
        </span>
        <ConnectionBadge />
      </header>
      <ConnectionBanner />
      <div className="body">
        <ClusterList selectedId={selectedId} entries={entries} />
        <main className="content">
          {entry && route.kind === 'cluster' ? (
            <ClusterShell key={entry.id} entry={entry} section={route.section} pod={route.pod} />
          ) : loaded ? (
            <Welcome hasClusters={count > 0} missing={selectedId !== null} />
          ) : null}
        </main>
      </div>
    </div>
  );
}

function Welcome({ hasClusters, missing }: { hasClusters: boolean; missing: boolean }) {
  return (
    <div className="empty welcome">
      {missing ? (
        <>
          <h1>This cluster no longer exists</h1>
          <p className="muted">
            It was deleted, perhaps in another window. Pick another one on the left.
          </p>
        </>
      ) : hasClusters ? (
        <>
          <h1>Pick a cluster</h1>
          <p className="muted">Choose a cluster on the left to see what runs on it.</p>
        </>
      ) : (
        <>
          <h1>Welcome to Nodeless</h1>
          <p className="muted">
            A cluster is a group of your Linux machines that Nodeless turns into one serverless
            Kubernetes. Create one with <strong>New cluster</strong>, then add its hosts — or bring
            a cluster you already have with <strong>Import kubeconfig</strong>.
          </p>
        </>
      )}
    </div>
  );
}

function ConnectionBadge() {
  const kind = useInventory((s) => s.connection.kind);
  const text = kind === 'live' ? 'Live' : kind === 'connecting' ? 'Connecting…' : 'Offline';
  return (
    <span className={`conn conn-${kind}`} role="status" aria-label={`Backend connection: ${text}`}>
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function ConnectionBanner() {
  const connection = useInventory((s) => s.connection);
  if (connection.kind !== 'reconnecting' && connection.kind !== 'failed') return null;
  return (
    <div className="banner" role="alert">
      {connection.reason}
    </div>
  );
}
