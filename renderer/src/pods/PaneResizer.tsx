/**
 * The details pane's left edge as a window splitter: drag it, or focus it and press ← / →
 * (Home / End for the narrowest / widest), to give the pane more or less of the table's room.
 * The width is the caller's state; this only turns gestures into widths, clamped to
 * [min, max] (CSS further caps the pane so the table keeps its columns).
 *
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/windowsplitter/
 * @see https://developer.mozilla.org/en-US/docs/Web/API/Element/setPointerCapture
 */
import type { KeyboardEvent, PointerEvent } from 'react';

const STEP = 24;

export function clampWidth(width: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(max, width)));
}

export function PaneResizer(props: {
  width: number;
  min: number;
  max: number;
  onResize(width: number): void;
}) {
  const { width, min, max, onResize } = props;

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (e.button !== 0) return;
    e.preventDefault();
    const target = e.currentTarget;
    const startX = e.clientX;
    // The pane grows leftwards: moving the edge left by d makes it d wider.
    const move = (ev: globalThis.PointerEvent) =>
      onResize(clampWidth(width + startX - ev.clientX, min, max));
    const end = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', end);
      target.removeEventListener('pointercancel', end);
    };
    // Captured, the moves keep coming while the pointer is over the table or outside.
    target.setPointerCapture(e.pointerId);
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', end);
    target.addEventListener('pointercancel', end);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const next: Record<string, number> = {
      ArrowLeft: width + STEP,
      ArrowRight: width - STEP,
      Home: min,
      End: max,
    };
    const to = next[e.key];
    if (to === undefined) return;
    e.preventDefault();
    onResize(clampWidth(to, min, max));
  }

  return (
    <div
      className="pane-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize details"
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
