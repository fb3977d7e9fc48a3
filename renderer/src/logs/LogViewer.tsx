/**
 * The log viewer of one pod or of every pod of a workload: opens `pods.logs` for the chosen
 * container / previous instance / tail / since (a change restarts the stream with an empty
 * buffer), folds its messages once per frame (log-store.ts), and shows the lines virtualised
 * (LogLines.tsx) with the toolbar's search, timestamps, wrap and download. A container that has
 * not started says so instead of an empty pane; the stream's end or failure is said in words.
 *
 * @see ../api/pods-logs-api.ts
 */
import { useEffect, useMemo, useState } from 'react';
import type { PodLogsInput } from '@nodeless/backend/api';
import { useStore } from 'zustand';
import { defaultPodsLogsApi, type PodsLogsApi } from '../api/pods-logs-api.ts';
import { toProblem } from '../api/problems.ts';
import { LOG_BUFFER_BOUND } from './log-buffer.ts';
import { logFileName, logText, saveText } from './log-download.ts';
import {
  DEFAULT_CHOICE,
  endedText,
  streamKey,
  type LogTarget,
  type StreamChoice,
} from './log-options.ts';
import { compileSearch, type CompiledSearch } from './log-search.ts';
import { LogStore } from './log-store.ts';
import { LogLines, type LineLook } from './LogLines.tsx';
import { LogToolbar } from './LogToolbar.tsx';
import './logs.css';

export interface LogViewerProps {
  clusterId: string;
  target: LogTarget;
  /** Defaults to the window's `pods.logs` client. */
  api?: PodsLogsApi;
  /** Lines kept (the oldest go first); defaults to {@link LOG_BUFFER_BOUND}. */
  bound?: number;
}

export function LogViewer(props: LogViewerProps) {
  const { clusterId, target, bound = LOG_BUFFER_BOUND } = props;
  const api = props.api ?? defaultPodsLogsApi();
  const [choice, setChoice] = useState(DEFAULT_CHOICE);
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [pattern, setPattern] = useState('');
  const compiled = useMemo(() => compileSearch(pattern), [pattern]);
  const look = useMemo<LineLook>(
    () => ({ timestamps, wrap, showPod: target.kind === 'workload' }),
    [timestamps, wrap, target.kind],
  );
  const key = streamKey(clusterId, target, choice);
  return (
    // A new key (container, previous, tail, since…) is a new stream with an empty buffer.
    <LogStream
      key={key}
      streamKey={key}
      api={api}
      bound={bound}
      target={target}
      choice={choice}
      onChoice={setChoice}
      look={look}
      onTimestamps={setTimestamps}
      onWrap={setWrap}
      pattern={pattern}
      onPattern={setPattern}
      compiled={compiled}
    />
  );
}

interface StreamProps {
  /** The request, as {@link streamKey} wrote it (so the effect depends on a string). */
  streamKey: string;
  api: PodsLogsApi;
  bound: number;
  target: LogTarget;
  choice: StreamChoice;
  onChoice(c: StreamChoice): void;
  look: LineLook;
  onTimestamps(on: boolean): void;
  onWrap(on: boolean): void;
  pattern: string;
  onPattern(p: string): void;
  compiled: CompiledSearch;
}

/** One stream: its store, its subscription, its lines (re-rendered once per changed frame). */
function LogStream(p: StreamProps) {
  const { api, streamKey: key, target, choice, look, compiled } = p;
  const [logs] = useState(() => new LogStore(p.bound));
  useEffect(
    () =>
      api.logs(JSON.parse(key) as PodLogsInput, {
        onData: (m) => logs.push(m),
        onFailed: (err) => logs.fail(toProblem(err).message),
      }),
    [api, key, logs],
  );
  useEffect(() => logs.setSearch(compiled), [logs, compiled]);
  // The current match belongs to the search it was found with.
  const [picked, setPicked] = useState<{ seq: number; of: CompiledSearch } | undefined>();
  const state = useStore(logs.store);
  const search = compiled.kind === 'ok' ? logs.searchIndex : undefined;
  const regex = compiled.kind === 'ok' ? compiled.regex : undefined;
  // A current match dropped from the buffer is no longer current.
  const live =
    picked && picked.of === compiled && picked.seq >= state.start ? picked.seq : undefined;
  const position = live !== undefined && search ? search.indexAtOrAfter(live) + 1 : 0;

  const step = (dir: 1 | -1): void => {
    if (!search || search.count === 0) return;
    const n = search.count;
    let i: number;
    if (live === undefined) i = dir === 1 ? 0 : n - 1;
    else i = dir === 1 ? search.indexAtOrAfter(live + 1) : search.indexAtOrAfter(live) - 1;
    // Wrap around at either end.
    const seq = search.seqAt(((i % n) + n) % n);
    if (seq !== undefined) setPicked({ seq, of: compiled });
  };

  const name = target.kind === 'pod' ? target.pod : target.workload.name;
  const download = (): void =>
    saveText(
      logText(logs.buffer, { timestamps: look.timestamps, prefix: look.showPod }),
      logFileName(name, choice.container, choice.previous),
    );

  const empty = state.length === 0;
  return (
    <div className="log-viewer">
      <LogToolbar
        containers={target.containers}
        choice={choice}
        onChoice={p.onChoice}
        timestamps={look.timestamps}
        onTimestamps={p.onTimestamps}
        wrap={look.wrap}
        onWrap={p.onWrap}
        pattern={p.pattern}
        onPattern={p.onPattern}
        compiled={compiled}
        matches={state.matches}
        position={position}
        onNext={() => step(1)}
        onPrev={() => step(-1)}
        lines={state.length}
        bound={logs.buffer.bound}
        onDownload={download}
      />
      {state.pods.length > 0 ? (
        <ul className="log-pods" aria-label="Pods followed">
          {state.pods.map((f) => (
            <li key={f.pod} className={`pod-c${logs.colourOf(f.pod)}${f.gone ? ' gone' : ''}`}>
              {f.pod}
              {f.gone ? ' (gone)' : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {state.waiting.map((w) => (
        <p key={`${w.pod}/${w.container}`} className="log-notice" role="status">
          {look.showPod ? `${w.pod}: ` : ''}
          {w.container} is waiting to start: {w.reason}
        </p>
      ))}
      {empty && state.waiting.length === 0 && !state.ended && !state.error ? (
        <p className="log-notice muted" role="status">
          {choice.previous ? 'Reading the previous container’s logs…' : 'Waiting for log lines…'}
        </p>
      ) : null}
      <LogLines
        buffer={logs.buffer}
        version={state.version}
        length={state.length}
        start={state.start}
        look={look}
        search={search}
        regex={regex}
        current={live}
        colourOf={logs.colourOf}
        label={`Log lines of ${target.kind === 'pod' ? 'pod' : target.workload.kind} ${name}`}
      />
      {state.ended ? (
        <p className="log-notice" role="status">
          {endedText(state.ended, choice.previous, empty)}
        </p>
      ) : null}
      {state.error ? (
        <p className="form-error log-notice" role="alert">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
