/**
 * Marks of the run grid's cells: each state has its own shape (never colour alone) and says
 * its meaning to screen readers.
 */
import { BlockIcon, OkIcon, Spinner } from '../onboarding/status-icons.tsx';
import type { GridCellState } from './grid-model.ts';

/** Words for each state (also the cells' accessible text). */
export const STATE_WORDS: Record<GridCellState, string> = {
  none: 'Not part of this host',
  pending: 'Waiting',
  running: 'Running',
  unchanged: 'Already in place',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function RunCellIcon({ state }: { state: GridCellState }) {
  switch (state) {
    case 'running':
      return <Spinner />;
    case 'done':
      return <OkIcon label={STATE_WORDS.done} />;
    case 'failed':
      return <BlockIcon label={STATE_WORDS.failed} />;
    case 'unchanged':
      return (
        <span className="cell-mark tone-ok" role="img" aria-label={STATE_WORDS.unchanged}>
          =
        </span>
      );
    case 'cancelled':
      return (
        <span className="cell-mark tone-warn" role="img" aria-label={STATE_WORDS.cancelled}>
          ⏹
        </span>
      );
    case 'pending':
      return (
        <span className="cell-mark muted" role="img" aria-label={STATE_WORDS.pending}>
          ·
        </span>
      );
    case 'none':
      return (
        <span className="cell-mark muted" role="img" aria-label={STATE_WORDS.none}>
          –
        </span>
      );
  }
}
