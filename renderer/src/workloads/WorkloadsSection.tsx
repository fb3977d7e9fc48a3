/**
 * The Workloads section: every Deployment, StatefulSet, Job, CronJob and bare pod of the
 * cluster, live from the `workloads` feed, grouped by namespace (groups fold), filtered by
 * name, image or status; "Deploy" (the form) and "Apply YAML" in the toolbar; and, when the URL
 * names a workload (`…/workloads/<kind>/<ns>/<name>`), its details pane. Each namespace's
 * header offers "Delete namespace…" (its name typed to confirm; never a system namespace). A change made with
 * kubectl shows at once: the feed is a watch.
 */
import { useMemo, useState, type CSSProperties } from 'react';
import { PaneResizer } from '../pods/PaneResizer.tsx';
import { useWorkloadsDeployApi, useWorkloadsOperateApi } from '../ui/app-context.tsx';
import { navigate } from '../ui/use-route.ts';
import { formatCount } from '../workspace/format.ts';
import { isStale, StatusBanner } from '../workspace/StatusBanner.tsx';
import { useFeed, useFeedState } from '../workspace/use-workspace.ts';
import type { MachineTarget } from './AddMachineButton.tsx';
import { DeployDialog } from './deploy/DeployDialog.tsx';
import { DeleteNamespaceDialog } from './operate/DeleteDialogs.tsx';
import { WorkloadDetails } from './WorkloadDetails.tsx';
import { WorkloadsGrid } from './WorkloadsGrid.tsx';
import type { WorkloadRef } from './workload-ref.ts';
import { findWorkload, listItems } from './workloads-model.ts';
import { YamlDialog, type YamlObjectRef } from './yaml/YamlDialog.tsx';
import './workloads.css';

const DETAILS_MIN = 340;
const DETAILS_MAX = 780;
let rememberedWidth = 460;
/** Folded namespaces per cluster, for the window's life. */
const folded = new Map<string, ReadonlySet<string>>();

type Yaml = { edit?: YamlObjectRef } | null;

export function WorkloadsSection(props: {
  cluster: MachineTarget;
  workload: WorkloadRef | undefined;
}) {
  const { cluster, workload } = props;
  const clusterId = cluster.id;
  const feed = useFeed(clusterId, 'workloads');
  const deployApi = useWorkloadsDeployApi();
  const status = useFeedState(feed, (s) => s.status);
  const streamError = useFeedState(feed, (s) => s.streamError);
  const loaded = useFeedState(feed, (s) => s.loaded);
  const version = useFeedState(feed, (s) => s.version);
  const [text, setText] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(
    () => folded.get(clusterId) ?? new Set(),
  );
  const [deploying, setDeploying] = useState(false);
  const [yaml, setYaml] = useState<Yaml>(null);
  const [deletingNamespace, setDeletingNamespace] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const operateApi = useWorkloadsOperateApi();
  const [width, setWidth] = useState(rememberedWidth);

  const rows = feed.store.getState().rows;
  // The feed's map is updated in place; `version` says it changed.
  const items = useMemo(
    () => listItems(rows.values(), text, collapsed),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, version, text, collapsed],
  );
  const total = rows.size;
  const shown = items.filter((i) => i.type === 'row').length;
  const row = useMemo(
    () => (workload ? findWorkload(rows, workload) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, version, workload],
  );
  const stale = isStale(status);

  const toggle = (namespace: string) => {
    const next = new Set(collapsed);
    if (next.has(namespace)) next.delete(namespace);
    else next.add(namespace);
    folded.set(clusterId, next);
    setCollapsed(next);
  };
  const close = () => navigate({ kind: 'cluster', clusterId, section: 'workloads' });
  const open = (ref: WorkloadRef) =>
    navigate({ kind: 'cluster', clusterId, section: 'workloads', workload: ref });

  return (
    <section className="workloads-section" aria-label="Workloads">
      <StatusBanner status={status} streamError={streamError} />
      <div className="wl-toolbar">
        <input
          type="search"
          className="wl-filter"
          placeholder="Filter by name, image or status"
          aria-label="Filter workloads"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <p role="status" aria-live="polite" className="muted wl-count">
          {loaded || total > 0
            ? text.trim()
              ? `${formatCount(shown)} of ${formatCount(total)} workloads`
              : `${formatCount(total)} workloads`
            : stale
              ? 'No workloads loaded: the cluster has not answered yet.'
              : 'Loading workloads…'}
        </p>
        {stale && total > 0 ? <span className="stale-label">Last known data</span> : null}
        <div className="inline-actions">
          <button type="button" onClick={() => setYaml({})}>
            Apply YAML
          </button>
          <button type="button" className="primary" onClick={() => setDeploying(true)}>
            Deploy
          </button>
        </div>
      </div>
      {notice ? (
        <p className="notice wl-notice" role="status">
          {notice}{' '}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <div className="wl-frame">
        {loaded && total === 0 ? (
          <p className="empty">No workloads in this cluster yet. Deploy one, or apply YAML.</p>
        ) : (
          <WorkloadsGrid
            clusterId={clusterId}
            items={items}
            open={workload}
            stale={stale}
            onToggle={toggle}
            onDeleteNamespace={setDeletingNamespace}
          />
        )}
        {workload ? (
          <div
            className="details-dock"
            style={{ '--details-width': `${width}px` } as CSSProperties}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && !e.defaultPrevented) close();
            }}
          >
            <PaneResizer
              width={width}
              min={DETAILS_MIN}
              max={DETAILS_MAX}
              onResize={(w) => {
                rememberedWidth = w;
                setWidth(w);
              }}
            />
            <WorkloadDetails
              cluster={cluster}
              workload={workload}
              row={row}
              loaded={loaded}
              onClose={close}
              onEditYaml={(ref) => setYaml({ edit: ref })}
            />
          </div>
        ) : null}
      </div>
      {deploying ? (
        <DeployDialog
          api={deployApi}
          clusterId={clusterId}
          onClose={() => setDeploying(false)}
          onDeployed={(ref) => {
            setDeploying(false);
            open(ref);
          }}
        />
      ) : null}
      {deletingNamespace !== null ? (
        <DeleteNamespaceDialog
          api={operateApi}
          clusterId={clusterId}
          namespace={deletingNamespace}
          onDeleted={() => {
            const ns = deletingNamespace;
            setDeletingNamespace(null);
            setNotice(
              `Namespace ${ns} is being deleted: its workloads leave the list as the cluster removes them.`,
            );
            if (workload?.namespace === ns) close();
          }}
          onClose={() => setDeletingNamespace(null)}
        />
      ) : null}
      {yaml ? (
        <YamlDialog
          clusterId={clusterId}
          {...(yaml.edit ? { edit: yaml.edit } : {})}
          onClose={() => setYaml(null)}
        />
      ) : null}
    </section>
  );
}
