/**
 * The page frame: top bar, connection banner, cluster list on the left and the selected
 * cluster on the right.
 */
import { useInventory } from './app-context.tsx';
import { ClusterList } from './ClusterList.tsx';
import { ClusterPage } from './ClusterPage.tsx';
import { useSelectedClusterId } from './use-route.ts';

export function App() {
  const selectedId = useSelectedClusterId();
  const cluster = useInventory((s) => (selectedId ? s.clusters.get(selectedId) : undefined));
  const loaded = useInventory((s) => s.loaded);
  const count = useInventory((s) => s.clusters.size);

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
        <ClusterList selectedId={selectedId} />
        <main className="content">
          {cluster ? (
            <ClusterPage cluster={cluster} />
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
          <p className="muted">Choose a cluster on the left to see and edit its hosts.</p>
        </>
      ) : (
        <>
          <h1>Welcome to Nodeless</h1>
          <p className="muted">
            A cluster is a group of your Linux machines that Nodeless turns into one serverless
            Kubernetes. Create one with <strong>New cluster</strong>, then add its hosts.
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
