/**
 * The log panel of a run: one tab per host (and the cluster), the lines of the selected one,
 * following the end while new lines arrive. Lines are redacted by the backend.
 */
import { useEffect, useRef, useState } from 'react';
import type { LogLine } from './run-model.ts';

export interface HostLogsProps {
  /** Row id → label, in grid order. */
  rows: readonly { id: string; label: string }[];
  logs: ReadonlyMap<string, readonly LogLine[]>;
}

export function HostLogs({ rows, logs }: HostLogsProps) {
  const [selected, setSelected] = useState<string | null>(null);
  const current = rows.find((r) => r.id === selected) ?? rows[0];
  const lines = current ? (logs.get(current.id) ?? []) : [];
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = pre.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length, current?.id]);
  if (!current) return null;
  const pick = (i: number) => {
    const r = rows[(i + rows.length) % rows.length];
    if (r) {
      setSelected(r.id);
      document.getElementById(`log-tab-${r.id}`)?.focus();
    }
  };
  return (
    <section className="host-logs" aria-label="Logs">
      <div className="tabs" role="tablist" aria-label="Log of">
        {rows.map((r, i) => (
          <button
            key={r.id}
            id={`log-tab-${r.id}`}
            type="button"
            role="tab"
            aria-selected={r.id === current.id}
            tabIndex={r.id === current.id ? 0 : -1}
            onClick={() => setSelected(r.id)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight') pick(i + 1);
              if (e.key === 'ArrowLeft') pick(i - 1);
            }}
          >
            {r.label} <span className="muted small">({(logs.get(r.id) ?? []).length})</span>
          </button>
        ))}
      </div>
      <pre
        ref={pre}
        className="log"
        role="tabpanel"
        aria-label={`Log of ${current.label}`}
        tabIndex={0}
      >
        {lines.length === 0
          ? 'No log lines yet.'
          : // The panel is per host already: `phase@host-id` → `phase`.
            lines.map((l) => `[${l.step.split('@')[0] ?? l.step}] ${l.line}`).join('\n')}
      </pre>
    </section>
  );
}
