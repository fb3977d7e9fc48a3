/**
 * The Usage section's header: is the meter recording (running / stale / absent, from its Lease),
 * when the desktop last synced the ledger, which hours it holds, and Sync now. A cluster imported
 * by kubeconfig without a meter offers Install meter where the backend can load its image, and
 * says what to do instead where it cannot (the remedy from `meter.status`). When no meter
 * Deployment exists but pods still carry its finalizer, it warns how many (and how many are stuck
 * Terminating) and offers Release held pods: the meter's uninstall (`meter.uninstall`, ledger
 * kept), which strips the finalizer — where the UI may uninstall.
 */
import { useEffect, useState } from 'react';
import type { ClusterSource, MeterStatusView, UsageStatus } from '@nodeless/backend/api';
import { toProblem } from '../api/problems.ts';
import { useUsageApi } from '../ui/app-context.tsx';
import { formatCount } from '../workspace/format.ts';
import { heldPodsWarning } from './held-pods-model.ts';
import type { Loaded } from './use-load.ts';
import { hourText } from './usage-format.ts';

const timeText = (rfc3339: string): string => hourText(Date.parse(rfc3339) / 1000) + ' UTC';
const exactTime = (rfc3339: string): string =>
  new Date(rfc3339).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';

export function MeterHeader(props: {
  clusterId: string;
  source: ClusterSource | undefined;
  status: Loaded<UsageStatus>;
  syncing: boolean;
  syncProblem: string | undefined;
  onSync(): void;
  onInstalled(): void;
}) {
  const { status, syncing, syncProblem, onSync } = props;
  return (
    <header className="usage-header" aria-label="Meter">
      <div className="usage-header-main">
        {status.kind === 'ok' ? <MeterState status={status.value} /> : null}
        {status.kind === 'loading' ? <span className="muted">Reading the meter…</span> : null}
        {status.kind === 'error' ? (
          <span className="form-error" role="alert">
            {status.message}
          </span>
        ) : null}
        <button type="button" onClick={onSync} disabled={syncing}>
          {syncing ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      {status.kind === 'ok' ? <SyncFacts status={status.value} /> : null}
      {syncProblem ? (
        <p className="form-error" role="alert">
          Sync failed: {syncProblem}
        </p>
      ) : null}
      {status.kind === 'ok' && status.value.meter.state !== 'running' ? (
        <MeterInstall {...props} installable={status.value.installable} />
      ) : null}
    </header>
  );
}

function MeterState({ status }: { status: UsageStatus }) {
  const m = status.meter;
  if (m.state === 'running') {
    return (
      <span className="meter-state st-ok" title={`Lease held by ${m.holder}`}>
        <span className="dot" aria-hidden="true" /> Meter running
        <span className="muted small"> · renewed {exactTime(m.renewedAt)}</span>
      </span>
    );
  }
  if (m.state === 'stale') {
    return (
      <span
        className="meter-state st-warn"
        title="The meter's lease was not renewed in time: it is probably down. Pods keep their finalizer, so what runs meanwhile is recorded when it returns."
      >
        <span className="dot" aria-hidden="true" /> Meter stale
        {m.renewedAt ? (
          <span className="muted small"> · last renewed {exactTime(m.renewedAt)}</span>
        ) : null}
      </span>
    );
  }
  return (
    <span className="meter-state st-bad">
      <span className="dot" aria-hidden="true" /> No meter: pods in this cluster are not recorded
    </span>
  );
}

function SyncFacts({ status }: { status: UsageStatus }) {
  const parts: string[] = [];
  if (status.lastSync) {
    parts.push(
      `Last synced ${exactTime(status.lastSync.at)} (${formatCount(status.lastSync.records)} records read)`,
    );
  } else parts.push('Not synced yet');
  if (status.history) {
    parts.push(`history ${timeText(status.history.from)} – ${timeText(status.history.to)}`);
  }
  return (
    <>
      <p className="muted small">{parts.join(' · ')}</p>
      {status.syncError ? (
        <p className="form-error" role="alert">
          Last sync failed: {status.syncError}
        </p>
      ) : null}
    </>
  );
}

function MeterInstall(props: {
  clusterId: string;
  source: ClusterSource | undefined;
  installable: boolean;
  onInstalled(): void;
}) {
  const { clusterId, source, onInstalled } = props;
  const api = useUsageApi();
  const [view, setView] = useState<MeterStatusView>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  // Bumped after a release so the status (and its held-pods count) is read again.
  const [reads, setReads] = useState(0);
  useEffect(() => {
    let live = true;
    api.meterStatus({ clusterId }).then(
      (v) => live && setView(v),
      (err: unknown) => live && setProblem(toProblem(err).message),
    );
    return () => {
      live = false;
    };
  }, [api, clusterId, reads]);
  const installable = view ? view.installable && !view.installed : props.installable;
  const install = (): void => {
    setBusy(true);
    setProblem(undefined);
    api
      .installMeter({ clusterId })
      .then(onInstalled, (err: unknown) => setProblem(toProblem(err).message))
      .finally(() => setBusy(false));
  };
  const release = (): void => {
    setBusy(true);
    setProblem(undefined);
    api
      .uninstallMeter({ clusterId })
      .then(
        () => setReads((n) => n + 1),
        (err: unknown) => setProblem(toProblem(err).message),
      )
      .finally(() => setBusy(false));
  };
  const held = heldPodsWarning(view?.heldPods);
  const remedy =
    view?.remedy ??
    (source === 'installed' && view
      ? 'The meter comes with the cluster baseline: run the install again to restore it.'
      : undefined);
  return (
    <div className="meter-install">
      {held ? (
        <div className="form-error meter-held" role="alert">
          <p>{held}</p>
          {view?.heldPods?.remedy ? <p className="small">{view.heldPods.remedy}</p> : null}
          {view?.installable ? (
            <button type="button" onClick={release} disabled={busy}>
              {busy ? 'Releasing held pods…' : 'Release held pods'}
            </button>
          ) : null}
        </div>
      ) : null}
      {installable ? (
        <button type="button" className="primary" onClick={install} disabled={busy}>
          {busy ? 'Installing the meter…' : 'Install meter'}
        </button>
      ) : null}
      {remedy ? (
        // Beside an Install button the remedy is the fine print (open it when in doubt); where
        // the UI cannot install, it is the way, shown in full.
        installable ? (
          <details className="muted small">
            <summary>Before installing: the nodes need the meter's image</summary>
            <p>{remedy}</p>
          </details>
        ) : (
          <p className="muted small">{remedy}</p>
        )
      ) : null}
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
