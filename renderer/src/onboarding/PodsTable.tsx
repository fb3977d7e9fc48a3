/**
 * How many pods of each spec size fit in the cluster at once: a compact vCPU × memory-ratio
 * table with bars, every size on demand, and a CSV export of all sizes (DESIGN.md §7).
 */
import { useState } from 'react';
import type { ClusterCheckView } from '@nodeless/backend/api';
import { formatSize, podsCsv, podsSummary, SUMMARY_RATIOS, type PodSpecFit } from './pods-table.ts';

/** Saves text as a file through a temporary object URL (no server round trip). */
export function downloadText(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  // Revoke after the click was handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Pods per spec size of one report, with "all sizes" and CSV export. */
export function PodsTable({
  specs,
  clusterName,
}: {
  specs: ClusterCheckView['capacity']['podsBySpec'];
  clusterName: string;
}) {
  const [all, setAll] = useState(false);
  const rows = podsSummary(specs);
  const most = Math.max(1, ...specs.map((s) => s.pods));
  if (specs.length === 0) return null;
  return (
    <section className="pods" aria-labelledby="pods-title">
      <header className="section-header">
        <div>
          <h3 id="pods-title">Pods that fit at once</h3>
          <p className="muted small">
            Serverless pod sizes (vCPU / memory), counted per machine after Kubernetes&apos; own
            reserve; a pod never spans machines.
          </p>
        </div>
        <div className="inline-actions">
          <button type="button" className="small" onClick={() => setAll((v) => !v)}>
            {all ? 'Show summary' : `Show all ${specs.length} sizes`}
          </button>
          <button
            type="button"
            className="small"
            onClick={() => downloadText(`${clusterName}-pods-per-size.csv`, podsCsv(specs))}
          >
            Export CSV
          </button>
        </div>
      </header>
      {all ? (
        <AllSizes specs={specs} most={most} />
      ) : (
        <table className="grid pods-summary" aria-label="Pods that fit per size">
          <thead>
            <tr>
              <th scope="col">vCPU per pod</th>
              {SUMMARY_RATIOS.map((r) => (
                <th scope="col" key={r}>
                  Memory: {r} GiB per vCPU
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.vcpu}>
                <th scope="row">{formatSize(row.vcpu)} vCPU</th>
                {row.cells.map((c, i) => (
                  <td key={i}>{c ? <Fit spec={c} most={most} /> : '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Fit({ spec, most }: { spec: PodSpecFit; most: number }) {
  return (
    <div className="fit" title={spec.label}>
      <span className="fit-count">{spec.pods}</span>
      <span className="muted small">
        {spec.pods === 1 ? 'pod' : 'pods'} of {formatSize(spec.memoryGiB)} GiB
      </span>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${(spec.pods / most) * 100}%` }} />
      </span>
    </div>
  );
}

function AllSizes({ specs, most }: { specs: readonly PodSpecFit[]; most: number }) {
  const sorted = [...specs].sort((a, b) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB);
  return (
    <div className="all-sizes">
      <table className="grid" aria-label="Pods that fit, every size">
        <thead>
          <tr>
            <th scope="col">vCPU</th>
            <th scope="col">Memory</th>
            <th scope="col">Pods</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((s) => (
            <tr key={s.label}>
              <td>{formatSize(s.vcpu)}</td>
              <td>{formatSize(s.memoryGiB)} GiB</td>
              <td>
                <Fit spec={s} most={most} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
