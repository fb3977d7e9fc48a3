/**
 * The capacity map (issue 5, point 6): cluster-level verdicts on top — and, when anything
 * blocks, a plain statement that the cluster cannot be installed yet and why — then one card
 * per machine and the cluster's total serverless capacity in pods per size.
 */
import type { ClusterCheckView } from '@nodeless/backend/api';
import type { Verdict } from '@nodeless/common';
import { formatBytes } from './format.ts';
import { HostCard } from './HostCard.tsx';
import { PodsTable } from './PodsTable.tsx';
import { RichText } from './RichText.tsx';
import { BlockIcon, OkIcon, VerdictIcon } from './status-icons.tsx';
import { endpoint } from '../ui/HostTable.tsx';

/** Inputs of {@link CapacityMap}. */
export interface CapacityMapProps {
  report: ClusterCheckView;
  clusterName: string;
  /** A newer check is running: this map is the previous result. */
  stale: boolean;
  rejected: ReadonlySet<string>;
  onReviewKey(hostId: string): void;
  /** Opens the install panel; absent when there is nothing to install (e.g. installed). */
  onInstall?: (() => void) | undefined;
}

/** The capacity map of one report (see the file comment). */
export function CapacityMap({
  report,
  clusterName,
  stale,
  rejected,
  onReviewKey,
  onInstall,
}: CapacityMapProps) {
  // Blocking cluster verdicts are in the "cannot be installed" callout, with their remedy.
  const clusterWarnings = report.cluster.verdicts.filter((v) => v.level === 'warn');
  const usable = report.hosts.filter((h) => (h.capacity?.vcpu ?? 0) > 0).length;
  return (
    <section className={stale ? 'capacity stale' : 'capacity'} aria-labelledby="capacity-title">
      <header className="section-header">
        <div>
          <h2 id="capacity-title">Capacity map</h2>
          <p className="muted small">
            {stale ? 'From the previous test; a new one is running. ' : ''}
            Checked {new Date(report.finishedAt).toLocaleString()}
          </p>
        </div>
      </header>
      <Verdict report={report} onInstall={stale ? undefined : onInstall} />
      {clusterWarnings.length > 0 ? (
        <ul className="verdicts cluster-verdicts" aria-label="Cluster warnings">
          {clusterWarnings.map((v) => (
            <VerdictItem key={v.rule} v={v} />
          ))}
        </ul>
      ) : null}
      <div className="totals" aria-label="Total serverless capacity">
        <Tile label="vCPU for pods" value={formatNumber(report.capacity.totalVcpu)} />
        <Tile label="Memory for pods" value={formatBytes(report.capacity.totalMemoryBytes)} />
        <Tile label="Machines giving capacity" value={`${usable} of ${report.hosts.length}`} />
      </div>
      <div className="host-cards">
        {report.hosts.map((h) => (
          <HostCard
            key={h.hostId}
            host={h}
            rejected={rejected.has(h.hostId)}
            onReviewKey={() => onReviewKey(h.hostId)}
          />
        ))}
      </div>
      <PodsTable specs={report.capacity.podsBySpec} clusterName={clusterName} />
    </section>
  );
}

/** The one-line answer: can this cluster be installed? */
function Verdict({
  report,
  onInstall,
}: {
  report: ClusterCheckView;
  onInstall: (() => void) | undefined;
}) {
  if (!report.blocking) {
    const warns =
      report.cluster.verdicts.some((v) => v.level === 'warn') ||
      report.hosts.some((h) => h.status === 'warn');
    return (
      <div className="callout callout-ok" role="status">
        <OkIcon label="Ready" />
        <p>
          <strong>Ready to install.</strong>{' '}
          {warns ? 'Read the warnings below first; none of them stops the install.' : ''}
        </p>
        {onInstall ? (
          <button type="button" className="primary push-right" onClick={onInstall}>
            Install…
          </button>
        ) : null}
      </div>
    );
  }
  const reasons: { text: string; remedy?: string | undefined }[] = [];
  for (const v of report.cluster.verdicts)
    if (v.level === 'block') reasons.push({ text: v.reason, remedy: v.remedy });
  for (const h of report.hosts) {
    const name = h.facts?.hostname ?? endpoint(h);
    if (h.status === 'needs-trust')
      reasons.push({
        text:
          h.hostKey?.status === 'changed'
            ? `${name}: its host key changed since you trusted it.`
            : `${name}: its host key is not trusted yet.`,
        remedy: 'Review the key with “Review host key” below.',
      });
    else if (h.status === 'failed')
      reasons.push({
        text: `${name}: ${h.failure?.message ?? 'the check could not finish.'}`,
        remedy: h.failure?.remedy,
      });
    for (const v of h.verdicts)
      if (v.level === 'block') reasons.push({ text: `${name}: ${v.reason}`, remedy: v.remedy });
  }
  return (
    <div className="callout callout-block" role="alert">
      <BlockIcon label="Blocked" />
      <div>
        <p>
          <strong>This cluster cannot be installed yet.</strong> Fix the following, then test the
          connection again:
        </p>
        <ul>
          {reasons.map((r, i) => (
            <li key={i}>
              <RichText text={r.text} />
              {r.remedy ? (
                <span className="remedy">
                  {' '}
                  — <RichText text={r.remedy} />
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function VerdictItem({ v }: { v: Verdict }) {
  return (
    <li className={`verdict verdict-${v.level}`}>
      <VerdictIcon level={v.level} />
      <div>
        <p>
          <RichText text={v.reason} />
        </p>
        {v.remedy ? (
          <p className="remedy">
            <RichText text={v.remedy} />
          </p>
        ) : null}
      </div>
    </li>
  );
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="tile">
      <span className="tile-value">{value}</span>
      <span className="muted small">{label}</span>
    </div>
  );
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}
