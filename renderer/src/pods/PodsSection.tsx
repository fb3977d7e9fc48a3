/**
 * The Pods section: the live pods feed of the cluster through a derived view (filter + sort,
 * patched per batch), the filter bar, "12,345 of 100,000 pods", the grid and, when the URL
 * names a pod (`…/pods/<namespace>/<name>`), its details pane. Filters are remembered per
 * cluster for the window's life, so leaving for Overview and coming back keeps them.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PodRow } from '../api/workspace-api.ts';
import type { PodRef } from '../ui/route-model.ts';
import { navigate } from '../ui/use-route.ts';
import type { FeedStore } from '../workspace/feed-store.ts';
import { formatCount } from '../workspace/format.ts';
import { isStale, StatusBanner } from '../workspace/StatusBanner.tsx';
import { useFeed, useFeedState } from '../workspace/use-workspace.ts';
import { parseSelector, type Requirement } from './label-selector.ts';
import { PodDetails } from './PodDetails.tsx';
import { PaneResizer } from './PaneResizer.tsx';
import { EMPTY_INPUTS, hasFilters, PodFilters, type FilterInputs } from './PodFilters.tsx';
import { PodsTable } from './PodsTable.tsx';
import { DEFAULT_QUERY, type PodColumn, type PodQuery } from './pods-query.ts';
import { createPodsView, type PodsView } from './pods-view.ts';

interface Remembered {
  inputs: FilterInputs;
  sort: PodColumn;
  descending: boolean;
}
const remembered = new Map<string, Remembered>();
/** The details pane's width in px, kept for the window's life across pods and clusters. */
const DETAILS_MIN = 320;
const DETAILS_MAX = 760;
let rememberedWidth = 420;

export function PodsSection({ clusterId, pod }: { clusterId: string; pod: PodRef | undefined }) {
  const feed = useFeed(clusterId, 'pods');
  const status = useFeedState(feed, (s) => s.status);
  const streamError = useFeedState(feed, (s) => s.streamError);
  const loaded = useFeedState(feed, (s) => s.loaded);
  const [view, setView] = useState<PodsView | null>(null);
  const initial = useRef<PodQuery>(DEFAULT_QUERY);
  useEffect(() => {
    const v = createPodsView(feed.store, initial.current);
    setView(v);
    return () => v.dispose();
  }, [feed]);

  const [detailsWidth, setDetailsWidth] = useState(rememberedWidth);
  const resize = (width: number) => {
    rememberedWidth = width;
    setDetailsWidth(width);
  };
  const close = () => navigate({ kind: 'cluster', clusterId, section: 'pods' });
  const stale = isStale(status);
  const details = pod ? (
    <div
      className="details-dock"
      style={{ '--details-width': `${detailsWidth}px` } as CSSProperties}
      onKeyDown={(e) => {
        // Escape closes from inside the pane (or its resize handle) too, as from the grid.
        if (e.key === 'Escape' && !e.defaultPrevented) close();
      }}
    >
      <PaneResizer width={detailsWidth} min={DETAILS_MIN} max={DETAILS_MAX} onResize={resize} />
      <DetailsFor clusterId={clusterId} pod={pod} feed={feed} onClose={close} />
    </div>
  ) : null;
  return (
    <section className="pods-section" aria-label="Pods">
      <StatusBanner status={status} streamError={streamError} />
      {view ? (
        <PodsBody
          clusterId={clusterId}
          view={view}
          feed={feed}
          loaded={loaded}
          stale={stale}
          openPod={pod}
          lastQueryRef={initial}
          onClose={close}
          details={details}
        />
      ) : null}
    </section>
  );
}

function DetailsFor(props: {
  clusterId: string;
  pod: PodRef;
  feed: FeedStore<PodRow>;
  onClose(): void;
}) {
  const { clusterId, pod, feed, onClose } = props;
  const loaded = useFeedState(feed, (s) => s.loaded);
  useFeedState(feed, (s) => s.version);
  const row = findPod(feed.store.getState().rows, pod);
  return (
    <PodDetails
      key={`${pod.namespace}/${pod.name}`}
      clusterId={clusterId}
      pod={pod}
      row={row}
      loaded={loaded}
      onClose={onClose}
    />
  );
}

/**
 * The open pod's row. The row is found by name once; after that by its uid in the Map (O(1)),
 * so an open details pane costs no scan per batch unless the pod was replaced.
 */
let lastFound: { ref: string; uid: string } | undefined;
function findPod(rows: ReadonlyMap<string, PodRow>, pod: PodRef): PodRow | undefined {
  const ref = `${pod.namespace}/${pod.name}`;
  if (lastFound?.ref === ref) {
    const r = rows.get(lastFound.uid);
    if (r && r.name === pod.name && r.namespace === pod.namespace) return r;
  }
  for (const r of rows.values()) {
    if (r.name === pod.name && r.namespace === pod.namespace) {
      lastFound = { ref, uid: r.uid };
      return r;
    }
  }
  return undefined;
}

function PodsBody(props: {
  clusterId: string;
  view: PodsView;
  feed: FeedStore<PodRow>;
  loaded: boolean;
  stale: boolean;
  openPod: PodRef | undefined;
  /** Where the query is kept for the next view of this section (a new feed after linger). */
  lastQueryRef: { current: PodQuery };
  onClose(): void;
  /** The open pod's details pane: beside the grid, or a drawer over it when room is short. */
  details: ReactNode;
}) {
  const { clusterId, view, loaded, stale, openPod, lastQueryRef, onClose, details } = props;
  const visible = useStore(view.store, (s) => s.visible);
  const total = useStore(view.store, (s) => s.total);
  const namespaces = useStore(view.store, (s) => s.namespaces);
  const query = useStore(view.store, (s) => s.query);
  const saved = remembered.get(clusterId);
  const [inputs, setInputs] = useState<FilterInputs>(saved?.inputs ?? EMPTY_INPUTS);
  const [sort, setSort] = useState<{ sort: PodColumn; descending: boolean }>({
    sort: saved?.sort ?? 'name',
    descending: saved?.descending ?? false,
  });
  const [selectedUid, setSelectedUid] = useState<string | undefined>();
  const parsed = useMemo(() => parseSelector(inputs.selector), [inputs.selector]);
  // A selector being typed keeps the last valid one applied, so the table does not flash.
  const [selector, setSelector] = useState<readonly Requirement[]>(() =>
    parsed.ok ? parsed.requirements : [],
  );
  const changeInputs = (next: FilterInputs) => {
    setInputs(next);
    const p = parseSelector(next.selector);
    if (p.ok) setSelector(p.requirements);
  };

  useEffect(() => {
    const q: PodQuery = {
      namespace: inputs.namespace,
      selector,
      status: inputs.status,
      text: inputs.text,
      sort: sort.sort,
      descending: sort.descending,
    };
    view.setQuery(q);
    lastQueryRef.current = q;
    remembered.set(clusterId, { inputs, ...sort });
  }, [view, clusterId, inputs, selector, sort, lastQueryRef]);

  // Follow the URL: a pod opened by link, Back or Forward becomes the selection (one scan per
  // navigation, adjusted during render rather than in an effect).
  const openKey = openPod ? `${openPod.namespace}/${openPod.name}` : '';
  const [followed, setFollowed] = useState('');
  if (openPod && openKey !== followed) {
    const r = visible.find((p) => p.name === openPod.name && p.namespace === openPod.namespace);
    // Until the feed has loaded, the pod may still arrive; after that, stop looking.
    if (r || loaded) setFollowed(openKey);
    if (r) setSelectedUid(r.uid);
  }

  const filtered = hasFilters(inputs);
  // The empty state carries its own "Clear filters": one button of that name at a time.
  const noMatch = visible.length === 0 && total > 0;
  // A window opened while the cluster is down has nothing "last known" to show.
  const hasData = loaded || total > 0;
  const clear = () => changeInputs(EMPTY_INPUTS);

  const open = (r: PodRow) =>
    navigate({
      kind: 'cluster',
      clusterId,
      section: 'pods',
      pod: { namespace: r.namespace, name: r.name },
    });

  return (
    <>
      <PodFilters
        inputs={inputs}
        namespaces={namespaces}
        selectorError={parsed.ok ? undefined : parsed.error}
        onChange={changeInputs}
      />
      <div className="pods-count">
        <p role="status" aria-live="polite" className="muted">
          {hasData
            ? `${formatCount(visible.length)} of ${formatCount(total)} pods`
            : stale
              ? 'No pods loaded: the cluster has not answered yet.'
              : 'Loading pods…'}
        </p>
        {stale && hasData ? <span className="stale-label">Last known data</span> : null}
        {filtered && !noMatch ? (
          <button type="button" className="link-button" onClick={clear}>
            Clear filters
          </button>
        ) : null}
      </div>
      <div className="pods-grid-frame">
        {loaded && total === 0 ? (
          <p className="empty pods-none">No pods in this cluster yet.</p>
        ) : (
          <div className="pods-grid-wrap">
            <PodsTable
              rows={visible}
              query={query}
              onSort={(column) =>
                setSort((s) => ({
                  sort: column,
                  descending: s.sort === column ? !s.descending : false,
                }))
              }
              selectedUid={selectedUid}
              onSelect={(r) => setSelectedUid(r.uid)}
              onOpen={open}
              onClose={onClose}
              stale={stale}
            />
            {noMatch ? (
              <div className="pods-empty">
                <p>No pods match these filters.</p>
                {filtered ? (
                  <button type="button" className="small" onClick={clear}>
                    Clear filters
                  </button>
                ) : null}
              </div>
            ) : null}
          </div>
        )}
        {details}
      </div>
    </>
  );
}
