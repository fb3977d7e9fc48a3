/**
 * The virtualised Pods grid: only the rows in view are in the DOM (about 40 of 100,000), one
 * fixed row height so the virtualiser never measures, one ticking clock for every AGE cell.
 * The header row sits in the same scroll box as the rows (sticky at its top), so when the grid
 * is narrower than its columns' minimum it scrolls sideways with its header, and the header's
 * columns line up with the rows' whatever the vertical scrollbar takes.
 * Keyboard: the grid holds the focus and points at the selected row with
 * aria-activedescendant; arrows, Page Up/Down, Home/End move the selection, Enter opens the
 * pod's details, Escape closes them.
 *
 * @see https://tanstack.com/virtual/latest/docs/api/virtualizer
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/grid/
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PodRow } from '../api/workspace-api.ts';
import { formatAge, formatCount } from '../workspace/format.ts';
import type { PodColumn, PodQuery } from './pods-query.ts';

const ROW_HEIGHT = 32;
/** The sticky header row: the list of rows starts this far into the scroll box. */
const HEAD_HEIGHT = ROW_HEIGHT;

const COLUMNS: { id: PodColumn; title: string }[] = [
  { id: 'name', title: 'Name' },
  { id: 'namespace', title: 'Namespace' },
  { id: 'owner', title: 'Owner' },
  { id: 'status', title: 'Status' },
  { id: 'size', title: 'Size' },
  { id: 'restarts', title: 'Restarts' },
  { id: 'age', title: 'Age' },
];

/** One clock for the whole table: AGE cells re-render together, once a second. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function rowDomId(uid: string): string {
  return `pod-row-${uid}`;
}

function statusClass(r: PodRow): string {
  if (r.deletedAt !== undefined) return 'st-muted';
  if (r.status === 'Running') return r.ready < r.total ? 'st-warn' : 'st-ok';
  if (r.status === 'Completed') return 'st-muted';
  if (r.phase === 'Pending' && !/Err|BackOff|Invalid/.test(r.status)) return 'st-warn';
  return 'st-bad';
}

export interface PodsTableProps {
  rows: readonly PodRow[];
  query: PodQuery;
  onSort(column: PodColumn): void;
  selectedUid: string | undefined;
  onSelect(row: PodRow): void;
  onOpen(row: PodRow): void;
  onClose(): void;
  stale: boolean;
}

export function PodsTable(props: PodsTableProps) {
  const { rows, query, onSort, selectedUid, onSelect, onOpen, onClose, stale } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(1000);
  // The compiler skips memoising this component because of the virtualiser's API; fine: the
  // component re-renders on scroll and per batch anyway, and its rows are cheap.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows start under the sticky header; scrolling to a row keeps it out from under it.
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });

  function indexOfSelected(): number {
    if (selectedUid === undefined) return -1;
    // One scan per key press, never per row or per frame.
    return rows.findIndex((r) => r.uid === selectedUid);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const height = (scrollRef.current?.clientHeight ?? 320) - HEAD_HEIGHT;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const at = indexOfSelected();
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = at < 0 ? 0 : at + 1;
        break;
      case 'ArrowUp':
        next = at < 0 ? 0 : at - 1;
        break;
      case 'PageDown':
        next = at + page;
        break;
      case 'PageUp':
        next = at - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      case 'Enter': {
        const row = rows[at];
        if (row) onOpen(row);
        e.preventDefault();
        return;
      }
      case 'Escape':
        onClose();
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, next));
    const row = rows[i];
    if (row) {
      onSelect(row);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    }
  }

  const items = virtualizer.getVirtualItems();
  // Point at the selected row only while it is rendered (checks the ~40 rows in view).
  const active = selectedUid !== undefined && items.some((v) => rows[v.index]?.uid === selectedUid);
  return (
    <div
      className={stale ? 'pods-grid stale' : 'pods-grid'}
      role="grid"
      aria-label="Pods"
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={active && selectedUid ? rowDomId(selectedUid) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="pods-scroll" ref={scrollRef}>
        <div className="pods-table">
          <div role="rowgroup" className="pods-head">
            <div role="row" aria-rowindex={1} className="pods-row">
              {COLUMNS.map((c) => {
                const sorted = query.sort === c.id;
                return (
                  <div
                    key={c.id}
                    role="columnheader"
                    className={`cell col-${c.id}`}
                    aria-sort={sorted ? (query.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button
                      type="button"
                      className="sort"
                      tabIndex={-1}
                      onClick={() => onSort(c.id)}
                    >
                      {c.title}
                      <span aria-hidden="true" className="sort-mark">
                        {sorted ? (query.descending ? '▼' : '▲') : ''}
                      </span>
                    </button>
                  </div>
                );
              })}
            </div>
          </div>
          <div role="rowgroup" className="pods-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => {
              const r = rows[v.index];
              if (!r) return null;
              return (
                <Row
                  key={v.index}
                  row={r}
                  index={v.index}
                  top={v.start - HEAD_HEIGHT}
                  now={now}
                  selected={r.uid === selectedUid}
                  onClick={() => {
                    onSelect(r);
                    onOpen(r);
                  }}
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
  row: PodRow;
  index: number;
  top: number;
  now: number;
  selected: boolean;
  onClick(): void;
}) {
  const { row: r, index, top, now, selected, onClick } = props;
  return (
    <div
      role="row"
      id={rowDomId(r.uid)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? 'pods-row selected' : 'pods-row'}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onClick}
    >
      <div role="gridcell" className="cell col-name" title={r.name}>
        {r.name}
      </div>
      <div role="gridcell" className="cell col-namespace" title={r.namespace}>
        {r.namespace}
      </div>
      <div
        role="gridcell"
        className="cell col-owner"
        title={r.owner ? `${r.owner.kind} ${r.owner.name}` : undefined}
      >
        {r.owner ? (
          <>
            <span className="muted small">{r.owner.kind} </span>
            {r.owner.name}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div role="gridcell" className={`cell col-status ${statusClass(r)}`} title={r.status}>
        {r.status}
        {r.status === 'Running' && r.ready < r.total ? (
          <span className="muted small">
            {' '}
            {r.ready}/{r.total} ready
          </span>
        ) : null}
      </div>
      <div role="gridcell" className="cell col-size">
        {r.size ?? (
          <span
            className="muted"
            // PodRow.size is admission's nodeless.dev/size label, else the pod's resources
            // rounded up to a size (cluster-runtime templateSize): neither gave one.
            title="Not sized: no nodeless.dev/size label, and its containers request no CPU or memory (or more than the largest size)"
          >
            —
          </span>
        )}
      </div>
      <div role="gridcell" className="cell col-restarts">
        {formatCount(r.restarts)}
      </div>
      <div role="gridcell" className="cell col-age">
        {r.createdAt === undefined ? '—' : formatAge(now - r.createdAt)}
      </div>
    </div>
  );
}
