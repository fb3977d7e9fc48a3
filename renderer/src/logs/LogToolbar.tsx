/**
 * The viewer's controls, all labelled form controls in one toolbar row (wrapping in a narrow
 * pane): container, tail, since, previous instance, timestamps, wrap, the regex search with its
 * match count and previous/next, and the bounded download.
 */
import { useId } from 'react';
import { SINCE_CHOICES, TAIL_CHOICES, type StreamChoice } from './log-options.ts';
import type { CompiledSearch } from './log-search.ts';

export interface ToolbarProps {
  containers: readonly string[];
  choice: StreamChoice;
  onChoice(next: StreamChoice): void;
  timestamps: boolean;
  onTimestamps(on: boolean): void;
  wrap: boolean;
  onWrap(on: boolean): void;
  pattern: string;
  onPattern(p: string): void;
  compiled: CompiledSearch;
  matches: number;
  /** 1-based position of the current match, 0 when none is current. */
  position: number;
  onNext(): void;
  onPrev(): void;
  lines: number;
  bound: number;
  onDownload(): void;
}

const indexOf = <T,>(list: readonly { value: T }[], v: T): number =>
  Math.max(
    0,
    list.findIndex((c) => c.value === v),
  );

export function LogToolbar(p: ToolbarProps) {
  const id = useId();
  const c = p.choice;
  const searchHint = `${id}-search-hint`;
  return (
    <div className="log-toolbar" role="toolbar" aria-label="Log options">
      <div className="log-controls">
        {p.containers.length > 1 ? (
          <label>
            Container{' '}
            <select
              value={c.container ?? ''}
              onChange={(e) => p.onChoice({ ...c, container: e.target.value || undefined })}
            >
              {p.containers.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Show{' '}
          <select
            value={indexOf(TAIL_CHOICES, c.tailLines)}
            onChange={(e) =>
              p.onChoice({ ...c, tailLines: TAIL_CHOICES[Number(e.target.value)]?.value })
            }
          >
            {TAIL_CHOICES.map((t, i) => (
              <option key={t.label} value={i}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Since{' '}
          <select
            value={indexOf(SINCE_CHOICES, c.sinceSeconds)}
            onChange={(e) =>
              p.onChoice({ ...c, sinceSeconds: SINCE_CHOICES[Number(e.target.value)]?.value })
            }
          >
            {SINCE_CHOICES.map((t, i) => (
              <option key={t.label} value={i}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={c.previous}
            onChange={(e) => p.onChoice({ ...c, previous: e.target.checked })}
          />{' '}
          Previous container
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={p.timestamps}
            onChange={(e) => p.onTimestamps(e.target.checked)}
          />{' '}
          Timestamps
        </label>
        <label className="check">
          <input type="checkbox" checked={p.wrap} onChange={(e) => p.onWrap(e.target.checked)} />{' '}
          Wrap lines
        </label>
      </div>
      <div className="log-search">
        <label htmlFor={`${id}-search`}>Search logs</label>
        <input
          id={`${id}-search`}
          type="text"
          value={p.pattern}
          placeholder="regular expression"
          spellCheck={false}
          aria-invalid={p.compiled.kind === 'invalid'}
          aria-describedby={searchHint}
          onChange={(e) => p.onPattern(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (e.shiftKey) p.onPrev();
            else p.onNext();
          }}
        />
        <button
          type="button"
          className="small"
          aria-label="Previous match"
          disabled={p.matches === 0}
          onClick={p.onPrev}
        >
          ↑
        </button>
        <button
          type="button"
          className="small"
          aria-label="Next match"
          disabled={p.matches === 0}
          onClick={p.onNext}
        >
          ↓
        </button>
        <span id={searchHint} className="small muted" role="status">
          {p.compiled.kind === 'invalid' ? (
            <span className="form-error">{p.compiled.message}</span>
          ) : p.compiled.kind === 'ok' ? (
            p.matches === 0 ? (
              'No matching lines'
            ) : (
              `${p.position > 0 ? `${p.position.toLocaleString('en')} of ` : ''}${p.matches.toLocaleString('en')} matching lines`
            )
          ) : null}
        </span>
        <button
          type="button"
          className="small log-download"
          disabled={p.lines === 0}
          onClick={p.onDownload}
          title={`Saves the lines kept here: at most the last ${p.bound.toLocaleString('en')}`}
        >
          Download .log
        </button>
        <span className="small muted">
          {p.lines.toLocaleString('en')} lines kept (at most the last {p.bound.toLocaleString('en')}
          )
        </span>
      </div>
    </div>
  );
}
