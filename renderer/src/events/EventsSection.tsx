/**
 * The cluster-wide Events section (`#/clusters/<id>/events`): every event of the cluster from
 * the `events` feed (both APIs), repeats grouped, newest first, filtered by namespace, type,
 * reason and object, in a virtualised list (only the rows in view are in the DOM). Each row
 * links to its object where the window has a page for it (pods, workloads). Filters are
 * remembered per cluster for the window's life.
 *
 * @see https://tanstack.com/virtual/latest/docs/api/virtualizer
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EventRow } from './event-groups.ts';
import { formatCount } from '../workspace/format.ts';
import { isStale, StatusBanner } from '../workspace/StatusBanner.tsx';
import { useFeed, useFeedState } from '../workspace/use-workspace.ts';
import { lastSeenText, TTL_NOTE, useNow } from './event-format.ts';
import {
  eventMatcher,
  groupEvents,
  NO_FILTER,
  objectLabel,
  type EventFilter,
  type EventGroup,
} from './event-groups.ts';
import { objectHref } from './event-links.ts';
import './events.css';

const ROW_HEIGHT = 32;
/**
 * Regrouping sorts every event (n log n): during an event storm it runs at most this often
 * rather than once per frame; a quiet feed shows each change at once.
 */
const REGROUP_MS = 500;
const remembered = new Map<string, EventFilter>();

export function EventsSection({ clusterId }: { clusterId: string }) {
  const feed = useFeed(clusterId, 'events');
  const status = useFeedState(feed, (s) => s.status);
  const streamError = useFeedState(feed, (s) => s.streamError);
  const loaded = useFeedState(feed, (s) => s.loaded);
  const version = useThrottled(
    useFeedState(feed, (s) => s.version),
    REGROUP_MS,
  );
  const [filter, setFilterState] = useState<EventFilter>(
    () => remembered.get(clusterId) ?? NO_FILTER,
  );
  const setFilter = (f: EventFilter) => {
    remembered.set(clusterId, f);
    setFilterState(f);
  };
  // Once per applied batch (at most one per frame): group, sort, list the namespaces.
  const { all, namespaces } = useMemo(() => {
    void version;
    const rows = feed.store.getState().rows;
    const ns = new Set<string>();
    for (const e of rows.values()) if (e.namespace) ns.add(e.namespace);
    return { all: groupEvents(rows.values()), namespaces: [...ns].sort() };
  }, [feed, version]);
  const shown = useMemo(() => {
    const match = eventMatcher(filter);
    return all.filter((g) => match(g.latest));
  }, [all, filter]);

  return (
    <section className="events-section" aria-label="Events">
      <StatusBanner status={status} streamError={streamError} />
      <p className="muted small">{TTL_NOTE}</p>
      <EventFilters filter={filter} namespaces={namespaces} onChange={setFilter} />
      <p className="muted small" role="status" aria-live="polite">
        {loaded
          ? `${formatCount(shown.length)} of ${formatCount(all.length)} events`
          : 'Loading events…'}
      </p>
      {loaded && shown.length === 0 ? (
        <p className="muted">{all.length === 0 ? 'No events.' : 'No event matches the filters.'}</p>
      ) : (
        <EventsList clusterId={clusterId} groups={shown} stale={isStale(status)} />
      )}
    </section>
  );
}

function EventFilters(props: {
  filter: EventFilter;
  namespaces: readonly string[];
  onChange(f: EventFilter): void;
}) {
  const { filter, namespaces, onChange } = props;
  const id = useId();
  const set = (patch: Partial<EventFilter>) => onChange({ ...filter, ...patch });
  const options =
    filter.namespace && !namespaces.includes(filter.namespace)
      ? [...namespaces, filter.namespace]
      : namespaces;
  return (
    <div className="pod-filters" role="search" aria-label="Filter events">
      <div className="field">
        <label htmlFor={`${id}-ns`}>Namespace</label>
        <select
          id={`${id}-ns`}
          value={filter.namespace}
          onChange={(e) => set({ namespace: e.target.value })}
        >
          <option value="">All namespaces</option>
          {options.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          value={filter.type}
          onChange={(e) => set({ type: e.target.value })}
        >
          <option value="">All types</option>
          <option value="Warning">Warning</option>
          <option value="Normal">Normal</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <input
          id={`${id}-reason`}
          type="search"
          value={filter.reason}
          placeholder="BackOff, Failed…"
          spellCheck={false}
          onChange={(e) => set({ reason: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-object`}>Object</label>
        <input
          id={`${id}-object`}
          type="search"
          value={filter.object}
          placeholder="Pod/web-1"
          spellCheck={false}
          onChange={(e) => set({ object: e.target.value })}
        />
      </div>
      {filter !== NO_FILTER ? (
        <button type="button" className="link-button" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

function EventsList(props: { clusterId: string; groups: readonly EventGroup[]; stale: boolean }) {
  const { clusterId, groups, stale } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(5_000);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser's API; rows are cheap
  const virtualizer = useVirtualizer({
    count: groups.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows start under the sticky header (inside the scroll box, so it scrolls sideways with them).
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
  });
  return (
    <div className={stale ? 'events-list stale' : 'events-list'} role="table" aria-label="Events">
      <div className="events-scroll" ref={scrollRef}>
        <div role="rowgroup" className="events-head-group">
          <div role="row" className="events-row events-head">
            <div role="columnheader" className="cell">
              Last seen
            </div>
            <div role="columnheader" className="cell">
              Type
            </div>
            <div role="columnheader" className="cell">
              Reason
            </div>
            <div role="columnheader" className="cell">
              Object
            </div>
            <div role="columnheader" className="cell">
              Message
            </div>
          </div>
        </div>
        <div role="rowgroup" className="events-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const g = groups[v.index];
            if (!g) return null;
            return (
              <EventRowView
                key={g.latest.uid}
                clusterId={clusterId}
                g={g}
                top={v.start - ROW_HEIGHT}
                now={now}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function EventRowView(props: { clusterId: string; g: EventGroup; top: number; now: number }) {
  const { clusterId, g, top, now } = props;
  const e: EventRow = g.latest;
  const href = objectHref(clusterId, e);
  const label = objectLabel(e);
  const warning = e.type === 'Warning';
  return (
    <div
      role="row"
      className={warning ? 'events-row warning' : 'events-row'}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="cell">
        {lastSeenText(g, now)}
      </div>
      <div role="cell" className={warning ? 'cell st-warn' : 'cell'}>
        {e.type}
      </div>
      <div role="cell" className="cell">
        {e.reason}
      </div>
      <div role="cell" className="cell" title={`${e.namespace}/${label}`}>
        {href ? <a href={href}>{label}</a> : label}
      </div>
      <div role="cell" className="cell" title={e.message}>
        {e.message}
      </div>
    </div>
  );
}

/**
 * `value`, passed on at once when it last changed more than `ms` ago, else at the end of that
 * window (the latest value then).
 */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - Date.now();
    const t = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}
