/**
 * The details pane of one pod, in tabs. Details: its row (status, owner, size), the spec
 * summary (containers, images, resources), conditions, and its events (ObjectEvents) —
 * both event APIs, joined by the window's index by involved-object uid, warnings highlighted. Re-read
 * when the pod's row changes in the feed, so it stays current without polling. Logs: the log
 * viewer streaming the pod's containers (../logs/LogViewer.tsx).
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { PodDetail } from '@nodeless/backend/api';
import type { PodRow } from '../api/workspace-api.ts';
import { toProblem } from '../api/problems.ts';
import { usePodsLogsApi, useWorkspaceApi } from '../ui/app-context.tsx';
import type { PodRef } from '../ui/route-model.ts';
import { formatCount } from '../workspace/format.ts';
import { LogViewer } from '../logs/LogViewer.tsx';
import { ObjectEvents } from '../events/ObjectEvents.tsx';
import { podSummary, type PodSummary } from './pod-detail-model.ts';
import { PodTerminals } from '../terminal/PodTerminals.tsx';
import { PodBill } from './PodBill.tsx';

type Tab = 'details' | 'logs' | 'terminal';
const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'details', label: 'Details' },
  { id: 'logs', label: 'Logs' },
  { id: 'terminal', label: 'Terminal' },
];
/** The tab last chosen, kept for the window's life: the next pod opens on it too. */
let rememberedTab: Tab = 'details';

type Load =
  | { kind: 'loading' }
  | { kind: 'ok'; detail: PodDetail; readAt: number }
  | { kind: 'error'; message: string };

export function PodDetails(props: {
  clusterId: string;
  pod: PodRef;
  /** The pod's live row, when the feed has it (undefined: not there, or not loaded yet). */
  row: PodRow | undefined;
  loaded: boolean;
  onClose(): void;
}) {
  const { clusterId, pod, row, loaded, onClose } = props;
  const api = useWorkspaceApi();
  const logsApi = usePodsLogsApi();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [tab, setTabState] = useState<Tab>(rememberedTab);
  // Terminals stay mounted once opened (hidden on other tabs), so their shells live on.
  const [terminalsShown, setTerminalsShown] = useState(tab === 'terminal');
  const setTab = (t: Tab): void => {
    rememberedTab = t;
    setTabState(t);
    if (t === 'terminal') setTerminalsShown(true);
  };
  // What changes in the row that is worth a fresh read of the whole pod.
  const version = row
    ? `${row.uid}|${row.status}|${row.ready}|${row.restarts}|${row.deletedAt ?? ''}`
    : 'absent';
  useEffect(() => {
    let live = true;
    api.pod({ clusterId, namespace: pod.namespace, name: pod.name }).then(
      (detail) => live && setLoad({ kind: 'ok', detail, readAt: Date.now() }),
      (err: unknown) => {
        if (!live) return;
        const p = toProblem(err);
        setLoad({
          kind: 'error',
          message: p.kind === 'not-found' ? 'This pod no longer exists.' : p.message,
        });
      },
    );
    return () => {
      live = false;
    };
  }, [api, clusterId, pod.namespace, pod.name, version]);

  const gone = loaded && !row;
  const summary = load.kind === 'ok' ? podSummary(load.detail.object) : undefined;
  return (
    <section
      className={tab === 'details' ? 'pod-details' : 'pod-details with-logs'}
      aria-label={`Pod ${pod.name}`}
    >
      <header className="details-header">
        <div>
          <h2>{pod.name}</h2>
          <p className="muted small">Namespace {pod.namespace}</p>
        </div>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <PodTabs tab={tab} onTab={setTab} />
      {terminalsShown ? (
        <div
          className="pod-tab-panel pod-logs"
          role="tabpanel"
          id="pod-tab-terminal"
          aria-labelledby="pod-tab-terminal-tab"
          hidden={tab !== 'terminal'}
        >
          <PodTerminals
            key={`${pod.namespace}/${pod.name}`}
            clusterId={clusterId}
            namespace={pod.namespace}
            pod={pod.name}
            containers={summary ? summary.containers.filter((c) => !c.init).map((c) => c.name) : []}
          />
        </div>
      ) : null}
      {tab === 'terminal' ? null : tab === 'logs' ? (
        <div
          className="pod-tab-panel pod-logs"
          role="tabpanel"
          id="pod-tab-logs"
          aria-labelledby="pod-tab-logs-tab"
        >
          <LogViewer
            // Another pod starts a fresh viewer (and stream).
            key={`${pod.namespace}/${pod.name}`}
            clusterId={clusterId}
            api={logsApi}
            target={{
              kind: 'pod',
              namespace: pod.namespace,
              pod: pod.name,
              containers: summary ? logContainers(summary) : [],
            }}
          />
        </div>
      ) : (
        <div
          className="pod-tab-panel"
          role="tabpanel"
          id="pod-tab-details"
          aria-labelledby="pod-tab-details-tab"
        >
          {gone ? (
            <p className="form-error">This pod was deleted; showing what was last read.</p>
          ) : null}
          {row || summary ? (
            // One list, one column grid: the live row's facts, then the read pod's.
            <dl className="facts">
              {row ? <RowFacts row={row} /> : null}
              {summary ? <SpecFacts s={summary} /> : null}
            </dl>
          ) : null}
          {row || load.kind === 'ok' ? (
            <PodBill
              clusterId={clusterId}
              uid={row?.uid ?? (load.kind === 'ok' ? load.detail.row.uid : '')}
              version={version}
            />
          ) : null}
          {load.kind === 'loading' ? (
            <p className="muted" role="status">
              Loading…
            </p>
          ) : null}
          {load.kind === 'error' ? (
            <p className="form-error" role="alert">
              {load.message}
            </p>
          ) : null}
          {load.kind === 'ok' && summary ? (
            <DetailBody clusterId={clusterId} detail={load.detail} s={summary} />
          ) : null}
        </div>
      )}
    </section>
  );
}

/** Containers whose logs can be read: the main ones first (the default), then init ones. */
function logContainers(s: PodSummary): string[] {
  return [...s.containers.filter((c) => !c.init), ...s.containers.filter((c) => c.init)].map(
    (c) => c.name,
  );
}

/** The tab strip: arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation). */
function PodTabs({ tab, onTab }: { tab: Tab; onTab(t: Tab): void }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const at = TABS.findIndex((t) => t.id === tab);
    const by = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (by === 0) return;
    e.preventDefault();
    const next = TABS[(at + by + TABS.length) % TABS.length];
    if (!next) return;
    onTab(next.id);
    document.getElementById(`pod-tab-${next.id}-tab`)?.focus();
  };
  return (
    <div className="tabs pod-tabs" role="tablist" aria-label="Pod views" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`pod-tab-${t.id}-tab`}
          aria-selected={tab === t.id}
          aria-controls={`pod-tab-${t.id}`}
          tabIndex={tab === t.id ? 0 : -1}
          className="small"
          onClick={() => onTab(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

function RowFacts({ row }: { row: PodRow }) {
  return (
    <>
      <dt>Status</dt>
      <dd>
        {row.status} · {row.ready}/{row.total} ready
      </dd>
      <dt>Owner</dt>
      <dd>{row.owner ? `${row.owner.kind} ${row.owner.name}` : '—'}</dd>
      <dt>Size</dt>
      <dd>{row.size ?? 'Not sized by admission'}</dd>
      <dt>Restarts</dt>
      <dd>{formatCount(row.restarts)}</dd>
    </>
  );
}

function SpecFacts({ s }: { s: PodSummary }) {
  return (
    <>
      {s.node ? (
        <>
          <dt>Machine</dt>
          <dd>{s.node}</dd>
        </>
      ) : null}
      {s.podIP ? (
        <>
          <dt>Pod IP</dt>
          <dd className="mono">{s.podIP}</dd>
        </>
      ) : null}
      {s.runtimeClass ? (
        <>
          <dt>Runtime class</dt>
          <dd>{s.runtimeClass}</dd>
        </>
      ) : null}
      {s.qosClass ? (
        <>
          <dt>QoS class</dt>
          <dd>{s.qosClass}</dd>
        </>
      ) : null}
    </>
  );
}

/** The events are live, from the window's index of the cluster's events feed (both APIs). */
function DetailBody(props: { clusterId: string; detail: PodDetail; s: PodSummary }) {
  const { clusterId, detail, s } = props;
  return (
    <>
      {s.message ? <p className="muted">{s.message}</p> : null}
      <h3>Containers</h3>
      <ul className="containers" aria-label="Containers">
        {s.containers.map((c) => (
          <li key={`${c.init ? 'init' : 'main'}-${c.name}`}>
            <div>
              <strong>{c.name}</strong>
              {c.init ? <span className="badge">init</span> : null}
              {c.state ? <span className="muted small"> · {c.state}</span> : null}
              {c.restarts ? <span className="muted small"> · {c.restarts} restarts</span> : null}
            </div>
            <div className="mono small">{c.image}</div>
            <div className="small muted">
              Requests: {c.requests || 'none'} · Limits: {c.limits || 'none'}
            </div>
          </li>
        ))}
      </ul>
      <h3>Conditions</h3>
      <table className="hosts conditions" aria-label="Conditions">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {s.conditions.map((c) => (
            <tr key={c.type}>
              <td>{c.type}</td>
              <td className={c.status === 'True' ? 'st-ok' : 'st-warn'}>{c.status}</td>
              <td title={c.message}>{c.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ObjectEvents clusterId={clusterId} uid={detail.row.uid} />
    </>
  );
}
