/**
 * The virtualised lines of a log stream: only the lines in view are in the DOM, so 100,000
 * lines cost what 50 do. Follows the end while the user is at the bottom, offers "Jump to
 * latest" when scrolled up, keeps the lines in view still when the oldest are dropped, and
 * scrolls the current search match into view. Keyboard: the box takes focus, the arrows and
 * Page keys scroll it, Home goes to the oldest line kept, End to the latest.
 *
 * Unwrapped lines all have one height, so the window is arithmetic (FixedRows: O(lines in
 * view) per frame). Wrapped lines are measured by @tanstack/react-virtual (WrappedRows), which
 * recomputes its measurements of every line whenever the count changes — O(lines kept) per
 * frame, so at thousands of lines a second the unwrapped view is the smooth one.
 *
 * @see https://tanstack.com/virtual/latest/docs/api/virtualizer
 */
import {
  memo,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BufferedLine, LogBuffer } from './log-buffer.ts';
import { shortTime } from './log-options.ts';
import { splitMatches, type SearchIndex } from './log-search.ts';

/** Height of one unwrapped line in px (logs.css sets the same line-height). */
export const LINE_HEIGHT = 18;
/** Within this many px of the end counts as "at the bottom" (sub-pixel scroll positions). */
const BOTTOM_SLACK = 4;
/** Lines rendered beyond each edge of the view. */
const OVERSCAN = 10;

export interface LineLook {
  timestamps: boolean;
  wrap: boolean;
  /** Workload mode: each line starts with its pod, coloured per pod. */
  showPod: boolean;
}

export interface LogLinesProps {
  buffer: LogBuffer;
  /** Changes whenever lines were appended or dropped (the store's version). */
  version: number;
  length: number;
  start: number;
  look: LineLook;
  search: SearchIndex | undefined;
  regex: RegExp | undefined;
  /** Sequence number of the current match, scrolled into view when it changes. */
  current: number | undefined;
  label: string;
  /** A pod's colour slot (workload mode). */
  colourOf(pod: string): number;
}

/** What both row renderers get. */
interface RowsProps extends LogLinesProps {
  scrollRef: RefObject<HTMLDivElement | null>;
  following: boolean;
  /** Scrolls to the end as the follower does (marked as ours). */
  toEnd(): void;
}

export function LogLines(props: LogLinesProps) {
  const { version, length, start, look, current, label } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const lastStart = useRef(start);
  // Where this component last scrolled the box to: a scroll event there is ours, not the
  // user's, and must not stop following (wrapped lines grow when measured after it).
  const ours = useRef(-1);

  const toEnd = (): void => {
    const el = scrollRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    ours.current = el.scrollTop;
  };

  // After each frame's lines: stay at the end while following; otherwise keep the lines in
  // view where they were although older ones were dropped above them.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const dropped = start - lastStart.current;
    lastStart.current = start;
    if (!el) return;
    if (following.current) toEnd();
    else if (dropped > 0 && !look.wrap)
      el.scrollTop = Math.max(0, el.scrollTop - dropped * LINE_HEIGHT);
  }, [version, start, look.wrap]);

  // A new current match stops following the end (the rows scroll it into view): state
  // adjusted while rendering, the ref in an effect.
  const [seenCurrent, setSeenCurrent] = useState(current);
  if (current !== seenCurrent) {
    setSeenCurrent(current);
    if (current !== undefined) setAtBottom(false);
  }
  useEffect(() => {
    if (current !== undefined) following.current = false;
  }, [current]);

  const onScroll = (): void => {
    const el = scrollRef.current;
    if (!el) return;
    if (following.current && Math.abs(el.scrollTop - ours.current) < 1) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    following.current = bottom;
    setAtBottom(bottom);
  };

  const jump = (): void => {
    following.current = true;
    setAtBottom(true);
    toEnd();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'End') {
      jump();
      e.preventDefault();
    } else if (e.key === 'Home') {
      following.current = false;
      setAtBottom(false);
      const el = scrollRef.current;
      if (el) el.scrollTop = 0;
      e.preventDefault();
    }
  };

  const rows: RowsProps = { ...props, scrollRef, following: atBottom, toEnd };
  return (
    <div className="log-lines-wrap">
      <div
        ref={scrollRef}
        className={look.wrap ? 'log-lines wrap' : 'log-lines'}
        role="log"
        // A live region at thousands of lines a second would drown a screen reader.
        aria-live="off"
        aria-label={label}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        {look.wrap ? <WrappedRows {...rows} /> : <FixedRows {...rows} />}
      </div>
      {atBottom || length === 0 ? null : (
        <button type="button" className="small primary log-jump" onClick={jump}>
          Jump to latest ↓
        </button>
      )}
    </div>
  );
}

/** The box's scroll position and height, as state (one update per scroll event / resize). */
function useViewport(ref: RefObject<HTMLDivElement | null>): { top: number; height: number } {
  const [view, setView] = useState({ top: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = (): void =>
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight
          ? v
          : { top: el.scrollTop, height: el.clientHeight },
      );
    read();
    el.addEventListener('scroll', read, { passive: true });
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      ro.disconnect();
    };
  }, [ref]);
  return view;
}

/** Unwrapped: every line LINE_HEIGHT high, the window computed from the scroll position. */
function FixedRows(p: RowsProps) {
  const { buffer, length, start, look, search, regex, current, scrollRef, following, colourOf } = p;
  const view = useViewport(scrollRef);
  const total = length * LINE_HEIGHT;
  // While following, the window is the end now (the layout effect scrolls there before
  // paint), not where the last scroll event left it: one render per frame, not two.
  const top = following ? Math.max(0, total - view.height) : view.top;
  const first = Math.max(0, Math.floor(top / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(length, Math.ceil((top + view.height) / LINE_HEIGHT) + OVERSCAN);

  useEffect(() => {
    const el = scrollRef.current;
    if (current === undefined || !el) return;
    const i = current - buffer.start;
    if (i < 0 || i >= buffer.length) return;
    el.scrollTop = Math.max(0, i * LINE_HEIGHT - el.clientHeight / 2);
  }, [current, buffer, scrollRef]);

  const rows = [];
  for (let i = first; i < last; i++) {
    const line = buffer.at(i);
    if (!line) continue;
    const seq = start + i;
    rows.push(
      // Keyed by slot, not by line: a frame's new lines reuse the DOM of the lines they push out.
      <Line
        key={i - first}
        line={line}
        look={look}
        regex={regex && search?.has(seq) ? regex : undefined}
        current={seq === current}
        colour={look.showPod ? colourOf(line.pod) : 0}
      />,
    );
  }
  return (
    <div className="log-lines-inner" style={{ height: total }}>
      <div className="log-window" style={{ transform: `translateY(${first * LINE_HEIGHT}px)` }}>
        {rows}
      </div>
    </div>
  );
}

/** Wrapped: lines measured as they render (@tanstack/react-virtual). */
function WrappedRows(p: RowsProps) {
  const { buffer, length, start, look, search, regex, current, scrollRef, following, colourOf } = p;
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: OVERSCAN,
    // A line keeps its key (and measured height) when older lines are dropped before it.
    getItemKey: (i) => start + i,
  });

  useEffect(() => {
    if (current === undefined) return;
    const i = current - buffer.start;
    if (i < 0 || i >= buffer.length) return;
    virtualizer.scrollToIndex(i, { align: 'center' });
  }, [current, buffer, virtualizer]);

  // Lines measured taller than estimated push the end down after the follower scrolled there:
  // after every render (a measurement re-renders), back to the end while following.
  const { toEnd } = p;
  useLayoutEffect(() => {
    if (following) toEnd();
  });

  return (
    <div className="log-lines-inner" style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((v) => {
        const seq = start + v.index;
        const line = buffer.at(v.index);
        if (!line) return null;
        return (
          <div
            key={v.key}
            data-index={v.index}
            ref={virtualizer.measureElement}
            className="log-line-slot"
            style={{ transform: `translateY(${v.start}px)` }}
          >
            <Line
              line={line}
              look={look}
              regex={regex && search?.has(seq) ? regex : undefined}
              current={seq === current}
              colour={look.showPod ? colourOf(line.pod) : 0}
            />
          </div>
        );
      })}
    </div>
  );
}

/** One line; re-rendered only when its line, look, search or "current" changes. */
const Line = memo(function Line(props: {
  line: BufferedLine;
  look: LineLook;
  regex: RegExp | undefined;
  current: boolean;
  colour: number;
}) {
  const { line, look, regex, current, colour } = props;
  return (
    <div className={current ? 'log-line current' : 'log-line'}>
      {look.showPod ? <span className={`log-pod pod-c${colour}`}>{line.pod} </span> : null}
      {look.timestamps && line.time ? (
        <span className="log-time">{shortTime(line.time)} </span>
      ) : null}
      <span className="log-text">
        {regex
          ? splitMatches(regex, line.text).map((r, i) =>
              r.hit ? <mark key={i}>{r.text}</mark> : r.text,
            )
          : line.text}
      </span>
    </div>
  );
});
