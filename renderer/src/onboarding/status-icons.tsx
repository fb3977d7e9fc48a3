/**
 * Status marks of the onboarding screens. Each pairs a shape with a colour (never colour
 * alone) and carries its meaning as text for screen readers.
 */
import type { VerdictLevel } from '@nodeless/common';
import type { ReactNode } from 'react';
import type { CellState } from './check-model.ts';

function Svg({ children, label }: { children: ReactNode; label: string }) {
  return (
    <svg
      className="status-icon"
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      role="img"
      aria-label={label}
    >
      {children}
    </svg>
  );
}

/** A passed check (green tick). */
export function OkIcon({ label = 'OK' }: { label?: string }) {
  return (
    <span className="tone-ok">
      <Svg label={label}>
        <path d="M20 6 9 17l-5-5" />
      </Svg>
    </span>
  );
}

/** A warning (amber triangle). */
export function WarnIcon({ label = 'Warning' }: { label?: string }) {
  return (
    <span className="tone-warn">
      <Svg label={label}>
        <path d="M12 3 2 21h20Z" />
        <path d="M12 10v5" />
        <path d="M12 18h.01" />
      </Svg>
    </span>
  );
}

/** A blocking problem or failure (red crossed circle). */
export function BlockIcon({ label = 'Blocking' }: { label?: string }) {
  return (
    <span className="tone-block">
      <Svg label={label}>
        <circle cx="12" cy="12" r="9" />
        <path d="m15 9-6 6M9 9l6 6" />
      </Svg>
    </span>
  );
}

/** Work in progress, announced as "Running". */
export function Spinner({ label = 'Running' }: { label?: string }) {
  return <span className="spinner" role="img" aria-label={label} />;
}

/** The icon of a preflight verdict level. */
export function VerdictIcon({ level }: { level: VerdictLevel }) {
  if (level === 'block') return <BlockIcon />;
  if (level === 'warn') return <WarnIcon />;
  return <OkIcon />;
}

/** The mark of one grid cell. */
export function CellIcon({ state }: { state: CellState }) {
  switch (state) {
    case 'running':
      return <Spinner />;
    case 'done':
      return <OkIcon label="Done" />;
    case 'failed':
      return <BlockIcon label="Failed" />;
    case 'skipped':
      return (
        <span className="cell-mark muted" role="img" aria-label="Not run">
          –
        </span>
      );
    case 'pending':
      return (
        <span className="cell-mark muted" role="img" aria-label="Waiting">
          ·
        </span>
      );
  }
}
