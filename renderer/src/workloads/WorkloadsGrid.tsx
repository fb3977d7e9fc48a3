/**
 * The virtualised Workloads list: a header per namespace (a button that folds the group, with
 * how many workloads and warnings it has, and "Delete namespace…" but for the system's) and the
 * workloads under it. Only the rows in view are
 * in the DOM; one fixed row height, so the virtualiser never measures; one ticking clock for
 * every AGE cell. Each name is a link to the workload's details (its own URL), so Tab, Enter,
 * middle-click and Back all work as on any link.
 *
 * @see https://tanstack.com/virtual/latest/docs/api/virtualizer
 */
import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { WorkloadRow } from '@nodeless/backend/api';
import { routeHash } from '../ui/route-model.ts';
import { formatAge } from '../workspace/format.ts';
import type { WorkloadRef } from './workload-ref.ts';
import {
  isSystemNamespace,
  readyText,
  sizeWords,
  stateClass,
  statusText,
  type ListItem,
} from './workloads-model.ts';

const ROW_HEIGHT = 34;
const HEAD_HEIGHT = ROW_HEIGHT;

const COLUMNS = ['Name', 'Kind', 'Ready', 'Size', 'Sandbox', 'Image', 'Age', 'Status'] as const;

/** One clock for a view: AGE cells re-render together, once per interval. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export interface WorkloadsGridProps {
  clusterId: string;
  items: readonly ListItem[];
  open: WorkloadRef | undefined;
  stale: boolean;
  onToggle(namespace: string): void;
  /** Asks to delete a namespace (offered on every group but the system's). */
  onDeleteNamespace?(namespace: string): void;
}

export function WorkloadsGrid(props: WorkloadsGridProps) {
  const { clusterId, items, open, stale, onToggle, onDeleteNamespace } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(1000);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  return (
    <div
      className={stale ? 'wl-grid stale' : 'wl-grid'}
      role="table"
      aria-label="Workloads"
      aria-rowcount={items.length + 1}
    >
      <div className="wl-scroll" ref={scrollRef}>
        <div className="wl-table">
          <div role="rowgroup" className="wl-head">
            <div role="row" aria-rowindex={1} className="wl-row">
              {COLUMNS.map((c) => (
                <div key={c} role="columnheader" className="cell">
                  {c}
                </div>
              ))}
            </div>
          </div>
          <div role="rowgroup" className="wl-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const item = items[v.index];
              if (!item) return null;
              const style = { transform: `translateY(${v.start - HEAD_HEIGHT}px)` };
              return item.type === 'group' ? (
                <div
                  key={`g:${item.namespace}`}
                  role="row"
                  aria-rowindex={v.index + 2}
                  className="wl-group"
                  style={style}
                >
                  <div role="cell" className="cell wl-group-cell">
                    <button
                      type="button"
                      className="wl-toggle"
                      aria-expanded={!item.collapsed}
                      onClick={() => onToggle(item.namespace)}
                    >
                      <span aria-hidden="true" className="wl-caret">
                        {item.collapsed ? '▸' : '▾'}
                      </span>
                      <span className="wl-ns">{item.namespace}</span>
                      <span className="muted small">
                        {item.count} {item.count === 1 ? 'workload' : 'workloads'}
                      </span>
                      {item.warnings > 0 ? (
                        <span className="badge warn-badge">
                          {item.warnings} {item.warnings === 1 ? 'warning' : 'warnings'}
                        </span>
                      ) : null}
                    </button>
                    {onDeleteNamespace && !isSystemNamespace(item.namespace) ? (
                      <button
                        type="button"
                        className="wl-ns-delete"
                        aria-label={`Delete namespace ${item.namespace}…`}
                        onClick={() => onDeleteNamespace(item.namespace)}
                      >
                        Delete namespace…
                      </button>
                    ) : null}
                  </div>
                </div>
              ) : (
                <Row
                  key={item.row.uid}
                  clusterId={clusterId}
                  row={item.row}
                  index={v.index}
                  now={now}
                  style={style}
                  selected={
                    open !== undefined &&
                    open.kind === item.row.kind &&
                    open.namespace === item.row.namespace &&
                    open.name === item.row.name
                  }
                />
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

function Row(props: {
  clusterId: string;
  row: WorkloadRow;
  index: number;
  now: number;
  style: React.CSSProperties;
  selected: boolean;
}) {
  const { clusterId, row: r, index, now, style, selected } = props;
  const href = routeHash({
    kind: 'cluster',
    clusterId,
    section: 'workloads',
    workload: { kind: r.kind, namespace: r.namespace, name: r.name },
  });
  const size = sizeWords(r.size);
  const status = statusText(r);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? 'wl-row selected' : 'wl-row'}
      style={style}
    >
      <div role="cell" className="cell wl-name" title={r.name}>
        <a href={href} aria-current={selected ? 'true' : undefined}>
          {r.name}
        </a>
      </div>
      <div role="cell" className="cell muted">
        {r.kind}
      </div>
      <div role="cell" className="cell num">
        {readyText(r)}
      </div>
      <div role="cell" className="cell" title={size}>
        {size ?? <span className="muted">not sized</span>}
      </div>
      <div role="cell" className="cell mono small" title={r.sandbox}>
        {r.sandbox ?? <span className="muted">none</span>}
      </div>
      <div role="cell" className="cell mono small" title={r.images.join('\n')}>
        {r.images[0] ?? <span className="muted">—</span>}
        {r.images.length > 1 ? <span className="muted"> +{r.images.length - 1}</span> : null}
      </div>
      <div role="cell" className="cell num">
        {r.createdAt === undefined ? '—' : formatAge(now - r.createdAt)}
      </div>
      <div role="cell" className={`cell ${stateClass(r)}`} title={r.poolFull?.message ?? status}>
        {status}
      </div>
    </div>
  );
}
